"""Control Grandstream and Fanvil IP phones over their local HTTP APIs."""
