// A gSOAP client calling SaveCredential in a loop, for scripts/bench.sh's end-to-end step
// (built by tests/gsoap/build.sh with -O2): the same request and header entries as
// `bench_e2e client` sends, against the same local server.
//
// Usage: client URL [CALLERS] [SECONDS] [WARMUP]
//
// CALLERS threads (default 64), each with its own gSOAP proxy and so its own keep-alive HTTP
// connection (a gSOAP context is not shared between threads), call save_credential as fast as
// the answers come for WARMUP seconds (default 1), then for SECONDS (default 5), counting the
// calls of that window whose answer is true. Prints one JSON object.
#include "soapBasicHttpBinding_USCOREUserProxy.h"
#include "BasicHttpBinding_USCOREUser.nsmap"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

static std::string *str(struct soap *soap, const char *value) {
    std::string *s = soap_new_std__string(soap);
    *s = value;
    return s;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: client URL [CALLERS] [SECONDS] [WARMUP]\n");
        return 2;
    }
    const char *url = argv[1];
    int callers = argc > 2 ? atoi(argv[2]) : 64;
    double seconds = argc > 3 ? atof(argv[3]) : 5;
    double warmup = argc > 4 ? atof(argv[4]) : 1;
    using clock = std::chrono::steady_clock;
    auto start = clock::now();
    auto measured_from = start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(warmup));
    auto end = measured_from + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
    std::atomic<long> calls{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < callers; t++) {
        threads.emplace_back([&] {
            BasicHttpBinding_USCOREUserProxy proxy(url, SOAP_IO_KEEPALIVE);
            // The request and the header values, in a context of their own (the proxy's is
            // freed after every call).
            struct soap *keep = soap_new();
            _ns1__SaveCredential request;
            request.soap_default(keep);
            request.UserId = soap_new_int(keep);
            *request.UserId = 42;
            ns1__Credential *credential = soap_new_ns1__Credential(keep);
            ns1__CredentialType *type = soap_new_ns1__CredentialType(keep);
            type->DisplayType = str(keep, "Password");
            type->Type = str(keep, "password");
            type->Description = str(keep, "Log in with a user name and a password stored in SuperOffice CRM");
            type->ValueControl = soap_new_ns1__CredentialControlType(keep);
            *type->ValueControl = ns1__CredentialControlType__Password;
            type->CanCreatePerson = soap_new_bool(keep);
            *type->CanCreatePerson = false;
            type->IsUserNameSupported = soap_new_bool(keep);
            *type->IsUserNameSupported = true;
            credential->Type = type;
            credential->Value = str(keep, "n3w-S3cret & <safe>");
            credential->DisplayValue = str(keep, "********");
            request.Credential = credential;
            ns1__SoCredentials *credentials = soap_new_ns1__SoCredentials(keep);
            credentials->Ticket = str(keep, "7T:1234abcxyzExample==");
            ns1__SoTimeZone *zone = soap_new_ns1__SoTimeZone(keep);
            zone->SoTimeZoneId = soap_new_int(keep);
            *zone->SoTimeZoneId = 37;
            zone->SoTimeZoneLocationCode = str(keep, "NOOSL");
            std::string *token = str(keep, "1234567-1234-9876");
            long mine = 0, failed = 0;
            for (;;) {
                auto now = clock::now();
                if (now >= end) break;
                proxy.soap_header(token, credentials, NULL, NULL, NULL, zone);
                _ns1__SaveCredentialResponse response;
                bool ok = proxy.SaveCredential(&request, response) == SOAP_OK && response.Response && *response.Response;
                if (now >= measured_from && clock::now() <= end) {
                    if (ok) mine++; else failed++;
                }
                if (!ok) proxy.soap_close_socket();
                proxy.destroy();
            }
            calls += mine;
            failures += failed;
            soap_destroy(keep);
            soap_end(keep);
            soap_free(keep);
        });
    }
    for (auto &t : threads) t.join();
    printf("{\"client\": \"gsoap\", \"callers\": %d, \"calls\": %ld, \"failures\": %ld, \"seconds\": %.3f, "
           "\"calls_per_s\": %.1f}\n",
           callers, calls.load(), failures.load(), seconds, calls.load() / seconds);
    return failures.load() > 0 ? 1 : 0;
}
