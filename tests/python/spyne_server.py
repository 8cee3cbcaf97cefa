"""A spyne server answering SaveCredential of the User WSDL, for scripts/bench.sh.

Usage: spyne_server.py [SECONDS] [WORKERS]

spyne is code-first: it does not read a WSDL, so the service below declares what the User WSDL
says about SaveCredential (namespace, element names and types of the request and its response,
SOAP 1.1 document/literal wrapped); SaveCredential answers true when the request has a UserId,
as the generated server of the benchmark does. Served by gunicorn's threaded worker (HTTP/1.1
keep-alive), WORKERS processes (default 2, one per core of the benchmark machine), on
127.0.0.1 on a free port; prints its URL and exits by itself after SECONDS (default 600).
"""

import os
import signal
import sys
import threading

from gunicorn.app.base import BaseApplication
from spyne import Application, Boolean, ComplexModel, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

NS = "http://www.superoffice.net/ws/crm/NetServer/Services87"
PATH = "/Remote/Services87/User.svc"


class CredentialType(ComplexModel):
    __namespace__ = NS
    _type_info = [
        ("DisplayType", Unicode),
        ("Type", Unicode),
        ("Description", Unicode),
        ("ValueControl", Unicode(values=["Static", "Edit", "Password", "Link", "Hidden"])),
        ("CanCreatePerson", Boolean),
        ("IsUserNameSupported", Boolean),
    ]


class Credential(ComplexModel):
    __namespace__ = NS
    _type_info = [("Type", CredentialType), ("Value", Unicode), ("DisplayValue", Unicode)]


class User(ServiceBase):
    @rpc(Integer, Credential, _returns=Boolean, _out_variable_name="Response")
    def SaveCredential(ctx, UserId, Credential):  # noqa: N802, N803 (the WSDL's names)
        return UserId is not None


application = WsgiApplication(
    Application([User], tns=NS, name="WcfUserService", in_protocol=Soap11(), out_protocol=Soap11())
)


def wsgi(environ, start_response):
    if environ.get("PATH_INFO") != PATH:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    return application(environ, start_response)


class Server(BaseApplication):
    def __init__(self, seconds, workers):
        self.seconds = seconds
        self.workers = workers
        super().__init__()

    def load_config(self):
        self.cfg.set("bind", "127.0.0.1:0")
        self.cfg.set("workers", self.workers)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", 16)
        self.cfg.set("keepalive", 30)
        self.cfg.set("backlog", 2048)
        self.cfg.set("loglevel", "warning")
        self.cfg.set("when_ready", self.when_ready)

    def when_ready(self, arbiter):
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        print("http://%s:%d%s" % (host, port, PATH), flush=True)
        master = os.getpid()
        stop = threading.Timer(self.seconds, lambda: os.kill(master, signal.SIGTERM))
        stop.daemon = True  # the master exits when stopped earlier
        stop.start()

    def load(self):
        return wsgi


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 600
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    Server(seconds, workers).run()
