// A gSOAP peer of tests/wsdl/encoded.wsdl (rpc/encoded), built by tests/gsoap/build_encoded.sh
// and driven by tests/tests/encoded_gsoap.rs. gSOAP writes SOAP 1.1 encoding itself: xsi:type
// everywhere, SOAP-ENC:Array with arrayType, and a value referenced twice (the same pointer) as
// a multi-reference value (href="#_1" and a top-level element with id="_1").
//
//   encoded_peer server          listens on 127.0.0.1 on a free port, prints its URL, answers
//                                requests one at a time until killed (or for 300 s)
//   encoded_peer client URL      calls URL and prints what each reply decoded to
#include "soapRegistryBindingService.h"
#include "soapRegistryBindingProxy.h"
#include "RegistryBinding.nsmap"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static const char *color(enum ns2__Color c) {
    switch (c) {
        case ns2__Color__red: return "red";
        case ns2__Color__green: return "green";
        case ns2__Color__blue: return "blue";
    }
    return "?";
}

// One line per person, as the Rust test expects it.
static void print_person(struct soap *soap, const char *label, const ns2__Person *p) {
    if (!p) {
        printf("%s nil\n", label);
        return;
    }
    std::string tags;
    if (p->tags) {
        for (int i = 0; i < p->tags->__size; i++) {
            if (i) tags += ",";
            tags += p->tags->__ptr[i];
        }
    }
    const ns2__Address *a = p->address;
    char zip[32] = "nil";
    if (a && a->zip) snprintf(zip, sizeof zip, "%d", *a->zip);
    printf("%s name=%s age=%d height=%g member=%s born=%s favorite=%s street=%s city=%s zip=%s nickname=%s tags=[%s]\n",
           label, p->name.c_str(), p->age, p->height, p->member ? "true" : "false", soap_dateTime2s(soap, p->born),
           color(p->favorite), a ? a->street.c_str() : "-", a ? a->city.c_str() : "-", zip,
           p->nickname ? p->nickname->c_str() : "nil", tags.c_str());
}

class Service : public RegistryBindingService {
  public:
    using RegistryBindingService::RegistryBindingService;

    int echoPerson(ns2__Person *person, struct ns1__echoPersonResponse &response) override {
        response.return_ = person;
        return SOAP_OK;
    }

    // The oldest and the youngest person are pointers into the request's array: when they are
    // the same person, gSOAP sends it once and refers to it twice.
    int summarize(ArrayOfPerson *people, Matrix *matrix, const std::string &note, const SOAP_ENC__base64 &data,
                  int limit, struct ns1__summarizeResponse &response) override {
        ns2__Summary *s = soap_new_ns2__Summary(soap);
        int n = people ? people->__size : 0;
        s->count = n;
        s->names = soap_new_ArrayOfString(soap);
        s->names->__size = n;
        s->names->__ptr = soap_new_std__string(soap, n > 0 ? n : 1);
        s->oldest = s->youngest = NULL;
        for (int i = 0; i < n; i++) {
            ns2__Person *p = people->__ptr[i];
            s->names->__ptr[i] = p->name;
            if (!s->oldest || p->age > s->oldest->age) s->oldest = p;
            if (!s->youngest || p->age < s->youngest->age) s->youngest = p;
        }
        s->totals = soap_new_ArrayOfInt(soap);
        int rows = matrix ? matrix->__size : 0;
        s->totals->__size = rows;
        s->totals->__ptritem = (int *)soap_malloc(soap, sizeof(int) * (rows > 0 ? rows : 1));
        for (int i = 0; i < rows; i++) {
            int sum = 0;
            for (int j = 0; j < matrix->__ptr[i].__size; j++) sum += matrix->__ptr[i].__ptr[j];
            s->totals->__ptritem[i] = sum;
        }
        // The digest: the note's bytes, the data, the limit as four big-endian bytes.
        int size = (int)note.size() + data.__size + 4;
        unsigned char *digest = (unsigned char *)soap_malloc(soap, size);
        memcpy(digest, note.data(), note.size());
        if (data.__size > 0) memcpy(digest + note.size(), data.__ptr, data.__size);
        for (int i = 0; i < 4; i++) digest[size - 4 + i] = (unsigned char)((unsigned)limit >> (24 - 8 * i));
        s->digest.__ptr = digest;
        s->digest.__size = size;
        response.summary = s;
        return SOAP_OK;
    }

    int divide(int a, int b, struct ns1__divideResponse &response) override {
        if (b == 0) return soap_sender_fault(soap, "cannot divide by zero", NULL);
        response.quotient = a / b;
        response.remainder = a % b;
        return SOAP_OK;
    }
};

static int serve() {
    alarm(300);
    Service service;
    service.soap->bind_flags = SO_REUSEADDR;
    service.soap->send_timeout = service.soap->recv_timeout = 30;
    if (!soap_valid_socket(service.bind("127.0.0.1", 0, 16))) {
        service.soap_stream_fault(std::cerr);
        return 1;
    }
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    getsockname(service.soap->master, (struct sockaddr *)&addr, &len);
    int port = addr.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&addr)->sin6_port)
                                          : ntohs(((struct sockaddr_in *)&addr)->sin_port);
    printf("http://127.0.0.1:%d/registry\n", port);
    fflush(stdout);
    for (;;) {
        if (!soap_valid_socket(service.accept())) {
            if (service.soap->errnum) continue;
            break;
        }
        if (service.serve() != SOAP_OK) service.soap_stream_fault(std::cerr);
        service.destroy();
    }
    return 0;
}

static ns2__Person *person(struct soap *soap, const char *name, int age, const char *born, enum ns2__Color favorite,
                           int *zip, std::string *nickname, ArrayOfString *tags) {
    ns2__Person *p = soap_new_ns2__Person(soap);
    p->name = name;
    p->age = age;
    p->height = 1.5 + age / 100.0;
    p->member = age % 2 == 0;
    soap_s2dateTime(soap, born, &p->born);
    p->favorite = favorite;
    p->address = soap_new_ns2__Address(soap);
    p->address->street = std::string("Street <&> of ") + name;
    p->address->city = "Oslo";
    p->address->zip = zip;
    p->nickname = nickname;
    p->tags = tags;
    return p;
}

static int call(const char *url) {
    RegistryBindingProxy proxy(url);
    struct soap *soap = proxy.soap;
    ArrayOfString *tags = soap_new_ArrayOfString(soap);
    tags->__size = 2;
    tags->__ptr = soap_new_std__string(soap, 2);
    tags->__ptr[0] = "first";
    tags->__ptr[1] = "second \"quoted\"";
    int *zip = (int *)soap_malloc(soap, sizeof(int));
    *zip = 1234;
    std::string *nick = soap_new_std__string(soap);
    *nick = "Bee";
    ns2__Person *bea = person(soap, "Bea", 42, "1983-05-17T08:30:00Z", ns2__Color__blue, zip, nick, tags);
    ns2__Person *cal = person(soap, "Cal", 7, "2018-01-02T03:04:05Z", ns2__Color__red, NULL, NULL, tags);

    struct ns1__echoPersonResponse echoed;
    if (proxy.echoPerson(bea, echoed) != SOAP_OK) {
        proxy.soap_stream_fault(std::cerr);
        return 1;
    }
    print_person(soap, "echoPerson", echoed.return_);

    // Bea twice (one pointer: a multi-reference value), Cal once; both share their tags.
    ArrayOfPerson people;
    people.__size = 3;
    people.__ptr = (ns2__Person **)soap_malloc(soap, 3 * sizeof(ns2__Person *));
    people.__ptr[0] = bea;
    people.__ptr[1] = cal;
    people.__ptr[2] = bea;
    Matrix matrix;
    matrix.__size = 2;
    matrix.__ptr = soap_new__Struct_1(soap, 2);
    static int row0[] = {1, 2, 3};
    static int row1[] = {-10};
    matrix.__ptr[0].__ptr = row0;
    matrix.__ptr[0].__size = 3;
    matrix.__ptr[1].__ptr = row1;
    matrix.__ptr[1].__size = 1;
    SOAP_ENC__base64 data;
    static unsigned char bytes[] = {0, 255, 7};
    data.__ptr = bytes;
    data.__size = 3;
    struct ns1__summarizeResponse summarized;
    if (proxy.summarize(&people, &matrix, "note", data, 9, summarized) != SOAP_OK) {
        proxy.soap_stream_fault(std::cerr);
        return 1;
    }
    ns2__Summary *s = summarized.summary;
    std::string names, totals, digest;
    for (int i = 0; s->names && i < s->names->__size; i++) names += (i ? "," : "") + s->names->__ptr[i];
    for (int i = 0; s->totals && i < s->totals->__size; i++)
        totals += (i ? "," : "") + std::to_string(s->totals->__ptritem[i]);
    for (int i = 0; i < s->digest.__size; i++) digest += (i ? "," : "") + std::to_string(s->digest.__ptr[i]);
    printf("summarize count=%d names=[%s] totals=[%s] digest=[%s] same=%s\n", s->count, names.c_str(), totals.c_str(),
           digest.c_str(), s->oldest == s->youngest ? "true" : "false");
    print_person(soap, "oldest", s->oldest);
    print_person(soap, "youngest", s->youngest);

    struct ns1__divideResponse divided;
    if (proxy.divide(17, 5, divided) != SOAP_OK) {
        proxy.soap_stream_fault(std::cerr);
        return 1;
    }
    printf("divide quotient=%d remainder=%d\n", divided.quotient, divided.remainder);
    if (proxy.divide(1, 0, divided) == SOAP_OK) {
        printf("divide by zero: no fault\n");
    } else {
        const char *reason = *soap_faultstring(soap);
        printf("divide by zero: fault %s\n", reason ? reason : "?");
    }
    proxy.destroy();
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "server") == 0) return serve();
    if (argc >= 3 && strcmp(argv[1], "client") == 0) return call(argv[2]);
    fprintf(stderr, "usage: %s server | client URL\n", argv[0]);
    return 2;
}
