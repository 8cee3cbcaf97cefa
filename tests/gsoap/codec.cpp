// gSOAP's encoding and decoding in process, per message, for scripts/bench.sh (built by
// tests/gsoap/build.sh with -O2): the payloads of tests/benches/codec.rs, on memory buffers
// (gSOAP's fsend/frecv callbacks instead of a socket; no HTTP).
//
// Usage: codec RESPONSES_DIR
//
// RESPONSES_DIR holds the files `bench_e2e write-responses` writes: the SaveCredential response
// and the GetCredentialTypes responses with 100 and 10,000 items. Measured:
//   encode the SaveCredential request element alone (soap_write__ns1__SaveCredential), and
//     the whole envelope with the three header entries (what the proxy's send_SaveCredential
//     writes after its HTTP head);
//   decode each response envelope with its header entries (the proxy's recv_*), then free it
//     (soap_destroy, soap_end: the decoded data lives in the context).
// Each measurement: 31 batches of about 2 ms (11 for the 10,000 items), the median per message.
// Prints one JSON object.
#include "soapBasicHttpBinding_USCOREUserProxy.h"
#include "BasicHttpBinding_USCOREUser.nsmap"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

struct Buffers {
    std::string out;
    const std::string *in = NULL;
    size_t at = 0;
};

static int send_to_memory(struct soap *soap, const char *s, size_t n) {
    static_cast<Buffers *>(soap->user)->out.append(s, n);
    return SOAP_OK;
}

static size_t receive_from_memory(struct soap *soap, char *s, size_t n) {
    Buffers *b = static_cast<Buffers *>(soap->user);
    size_t left = b->in->size() - b->at;
    if (n > left) n = left;
    memcpy(s, b->in->data() + b->at, n);
    b->at += n;
    return n;
}

static std::string read_file(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        fprintf(stderr, "codec: cannot read %s\n", path.c_str());
        exit(1);
    }
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// The median time of one call of `f`, in nanoseconds.
template <class F> static double median_ns(F f, int batches) {
    using clock = std::chrono::steady_clock;
    // Calibrate a batch to about 2 ms.
    long n = 1;
    for (;;) {
        auto s = clock::now();
        for (long i = 0; i < n; i++) f();
        double ns = std::chrono::duration<double, std::nano>(clock::now() - s).count();
        if (ns > 2e6 || n > (1L << 24)) break;
        n *= 2;
    }
    std::vector<double> per;
    for (int b = 0; b < batches; b++) {
        auto s = clock::now();
        for (long i = 0; i < n; i++) f();
        per.push_back(std::chrono::duration<double, std::nano>(clock::now() - s).count() / n);
    }
    std::sort(per.begin(), per.end());
    return per[per.size() / 2];
}

static std::string *str(struct soap *soap, const char *value) {
    std::string *s = soap_new_std__string(soap);
    *s = value;
    return s;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: codec RESPONSES_DIR\n");
        return 2;
    }
    std::string dir = argv[1];
    Buffers buffers;
    BasicHttpBinding_USCOREUserProxy proxy;
    struct soap *soap = proxy.soap;
    soap->user = &buffers;
    soap->fsend = send_to_memory;
    soap->frecv = receive_from_memory;

    // The request of tests/benches/common (values of SuperOffice's documented example); kept
    // in a context of its own so that freeing decoded data does not free it.
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

    auto encode_payload = [&] {
        buffers.out.clear();
        if (soap_write__ns1__SaveCredential(soap, &request) != SOAP_OK) {
            soap_print_fault(soap, stderr);
            exit(1);
        }
    };
    auto encode_envelope = [&] {
        buffers.out.clear();
        proxy.soap_header(token, credentials, NULL, NULL, NULL, zone);
        struct __ns1__SaveCredential wrapper;
        wrapper.ns1__SaveCredential = &request;
        soap_begin(soap);
        soap_set_version(soap, 1);
        soap->encodingStyle = NULL;
        soap_serializeheader(soap);
        soap_serialize___ns1__SaveCredential(soap, &wrapper);
        if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_putheader(soap) ||
            soap_body_begin_out(soap) || soap_put___ns1__SaveCredential(soap, &wrapper, "-ns1:SaveCredential", "") ||
            soap_body_end_out(soap) || soap_envelope_end_out(soap) || soap_end_send(soap)) {
            soap_print_fault(soap, stderr);
            exit(1);
        }
        soap_end(soap);
    };
    encode_payload();
    std::string payload = buffers.out;
    encode_envelope();
    std::string envelope = buffers.out;

    std::string save = read_file(dir + "/save_credential_response.xml");
    std::string items100 = read_file(dir + "/get_credential_types_100.xml");
    std::string items10000 = read_file(dir + "/get_credential_types_10000.xml");

    bool save_ok = false;
    auto decode_save = [&] {
        buffers.in = &save;
        buffers.at = 0;
        _ns1__SaveCredentialResponse response;
        if (proxy.recv_SaveCredential(response) != SOAP_OK) {
            soap_print_fault(soap, stderr);
            exit(1);
        }
        save_ok = response.Response && *response.Response && soap->header && soap->header->ns1__Succeeded &&
                  *soap->header->ns1__Succeeded;
        proxy.destroy();
    };
    size_t items = 0;
    auto decode_types = [&](const std::string *input) {
        buffers.in = input;
        buffers.at = 0;
        _ns1__GetCredentialTypesResponse response;
        if (proxy.recv_GetCredentialTypes(response) != SOAP_OK) {
            soap_print_fault(soap, stderr);
            exit(1);
        }
        items = response.Response ? response.Response->CredentialType.size() : 0;
        proxy.destroy();
    };
    // Check once that every payload decodes as it should before timing anything.
    decode_save();
    if (!save_ok) {
        fprintf(stderr, "codec: the SaveCredential response did not decode as true with Succeeded\n");
        return 1;
    }
    decode_types(&items100);
    size_t count100 = items;
    decode_types(&items10000);
    size_t count10000 = items;
    if (count100 != 100 || count10000 != 10000) {
        fprintf(stderr, "codec: decoded %zu and %zu items, not 100 and 10000\n", count100, count10000);
        return 1;
    }

    double t_payload = median_ns(encode_payload, 31);
    double t_envelope = median_ns(encode_envelope, 31);
    double t_save = median_ns(decode_save, 31);
    double t_100 = median_ns([&] { decode_types(&items100); }, 31);
    double t_10000 = median_ns([&] { decode_types(&items10000); }, 11);
    printf("{\"toolkit\": \"gsoap\", \"encode_payload_ns\": %.0f, \"payload_bytes\": %zu, "
           "\"encode_envelope_3_headers_ns\": %.0f, \"envelope_bytes\": %zu, "
           "\"decode_save_credential_ns\": %.0f, \"decode_100_items_ns\": %.0f, \"decode_10000_items_ns\": %.0f}\n",
           t_payload, payload.size(), t_envelope, envelope.size(), t_save, t_100, t_10000);
    fprintf(stderr, "gsoap envelope: %s\n", envelope.c_str());
    soap_destroy(keep);
    soap_end(keep);
    soap_free(keep);
    return 0;
}
