// A gSOAP server of the User WSDL for scripts/bench.sh (built by tests/gsoap/build.sh):
// SaveCredential answers true when the request has a UserId, as the generated server of the
// benchmark does (tests/examples/bench_e2e.rs, BenchUser); every other operation answers
// SOAP_NO_METHOD.
//
// Usage: server [SECONDS]
//
// Listens on 127.0.0.1 on a free port, prints its URL, and serves each accepted connection on a
// thread of its own, with HTTP keep-alive and no limit on the requests per connection: gSOAP's
// multi-threaded server as its documentation shows it (a pool of fewer threads would leave
// keep-alive connections beyond the pool unserved). Exits by itself after SECONDS (default 600).
#include "soapBasicHttpBinding_USCOREUserService.h"
#include "BasicHttpBinding_USCOREUser.nsmap"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

class Service : public BasicHttpBinding_USCOREUserService {
  public:
    using BasicHttpBinding_USCOREUserService::BasicHttpBinding_USCOREUserService;

    BasicHttpBinding_USCOREUserService *copy() override {
        Service *dup = new Service();
        soap_copy_context(dup->soap, this->soap);
        return dup;
    }

    int SaveCredential(_ns1__SaveCredential *request, _ns1__SaveCredentialResponse &response) override {
        // No header entries in the reply (gSOAP would echo the request's otherwise).
        soap->header = NULL;
        response.Response = soap_new_bool(soap);
        *response.Response = request->UserId != NULL;
        return SOAP_OK;
    }
};

// Frees what one request allocated before the next request on the same keep-alive connection:
// the generated serve() loop calls fserveloop after each request and frees nothing itself.
static int release(struct soap *soap) {
    soap_destroy(soap);
    soap_end(soap);
    return SOAP_OK;
}

int main(int argc, char **argv) {
    alarm(argc > 1 ? atoi(argv[1]) : 600);
    Service service(SOAP_IO_KEEPALIVE, SOAP_IO_KEEPALIVE);
    service.soap->bind_flags = SO_REUSEADDR;
    service.soap->max_keep_alive = 0;  // keep connections open for any number of requests
    service.soap->send_timeout = service.soap->recv_timeout = 30;
    service.soap->fserveloop = release;  // copied into each connection's context
    if (!soap_valid_socket(service.bind("127.0.0.1", 0, 1024))) {
        service.soap_stream_fault(std::cerr);
        return 1;
    }
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    getsockname(service.soap->master, (struct sockaddr *)&addr, &len);
    int port = addr.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&addr)->sin6_port)
                                          : ntohs(((struct sockaddr_in *)&addr)->sin_port);
    printf("http://127.0.0.1:%d/Remote/Services87/User.svc\n", port);
    fflush(stdout);
    for (;;) {
        if (!soap_valid_socket(service.accept())) {
            if (service.soap->errnum) continue;
            break;
        }
        BasicHttpBinding_USCOREUserService *connection = service.copy();
        std::thread([connection] {
            connection->serve();
            connection->destroy();
            delete connection;
        }).detach();
    }
    return 0;
}
