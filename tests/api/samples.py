"""What the vendor guides print as example answers, byte for byte, for the parser tests."""

# Web API guide, "Get Line Status" and "Get Account Status".
WEBAPI_LINES = b"""{"response": "success", "body": [
 {"line": 1, "state": "2", "acct": "", "name": "", "number": "", "active": 0},
 {"line": 2, "state": "3", "acct": "", "name": "", "number": "", "active": 0},
 {"line": 3, "state": "3", "acct": "", "name": "", "number": "", "active": 0},
 {"line": 4, "state": "8", "acct": "", "name": "", "number": "", "active": 0}]}"""
WEBAPI_ACCOUNTS = b"""{"response": "success", "body": [
 {"id": 1, "sip_server": "pbx.grandstream.com", "sip_id": "699", "name": "John Somebody", "reg": 1},
 {"id": 2, "sip_server": "96.31.248.32", "sip_id": "9064", "name": "9064 (openser)", "reg": 1},
 {"id": 3, "sip_server": "172.18.26.124", "sip_id": "1025", "name": "1025", "reg": 1},
 {"id": 4, "sip_server": "as.iop1.broadworks.net", "sip_id": "1016", "name": "1016 (BS)", "reg": 0}
]}"""
# CTI guide, "Positive answer with returned values".
CTI_LINES = b"""{"response":"success", "body": [{"line": 1, "state": "idle", "acct": "",
 "remotename": "", "remotenumber": "", "active": 0}, {"line": 2, "state": "idle", "acct": "",
 "remotename": "", "remotenumber": "", "active": 0}, {"line": 3, "state": "idle", "acct": "",
 "remotename": "", "remotenumber": "", "active": 0}]}"""
# GMI guide, section 10 (the indexes out of order, as printed).
GMI_ACCOUNTS = b"""{"Response":"Success","Data":[{"Index":"1","Server":"192.168.120.254",
"Number":"3882","Status":"1","Activate":"1"},{"Index":"0","Server":"sip.ipvideotalk.com:48879",
"Number":"8118263","Status":"1","Activate":"1"},{"Index":"2","Server":"192.168.121.22",
"Number":"1001","Status":"1","Activate":"1"}]}"""
# Fanvil guide, 2.2, with its typographic quotes and blanks.
FANVIL_INFO = """<?xml version="1.0" encoding="UTF-8" ?>
<FanvilConfiguration cmd=\u201dget\u201d >
<RetCode>0</RetCode>
<info>
<Item> info. dev.Model = X6 </Item>
<Item> info. dev.Mac = 00a859c60102 </Item>
<Item> info.sys.MemFree = 1.6M </Item>
</info>
</ FanvilConfiguration>""".encode()
