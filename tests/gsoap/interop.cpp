// A gSOAP client of the User WSDL for tests/tests/server_gsoap.rs (built by
// tests/gsoap/build.sh): calls the server at URL and prints, one line per fact, what gSOAP
// parsed from each reply, for the test to compare with what its handler returned.
//
// Usage: interop URL
//
// Calls, all with the header entries ApplicationToken "gsoap-app" and Credentials (Ticket
// "7T:gsoap", or "expired" for the service error):
//   SaveCredential(42, a credential whose type carries an enumeration value)  -> response, Succeeded header
//   GetCredentialTypes()                                                  -> an array: each item's fields
//   SaveCredential(0, ...)                                                -> a SOAP fault
//   SaveCredential(42, ...) with ticket "expired"                         -> Succeeded=false, ExceptionInfo
//   DeleteCredential(42, "password") (not implemented by the handler)     -> a SOAP fault
#include "soapBasicHttpBinding_USCOREUserProxy.h"
#include "BasicHttpBinding_USCOREUser.nsmap"

#include <cstdio>
#include <string>

static std::string text(const std::string *s) { return s ? "\"" + *s + "\"" : "null"; }
static std::string flag(const bool *b) { return b ? (*b ? "true" : "false") : "null"; }

static void headers(BasicHttpBinding_USCOREUserProxy &proxy, const char *ticket) {
    struct soap *soap = proxy.soap;
    ns1__SoCredentials *credentials = soap_new_ns1__SoCredentials(soap);
    credentials->Ticket = soap_new_std__string(soap);
    *credentials->Ticket = ticket;
    std::string *token = soap_new_std__string(soap);
    *token = "gsoap-app";
    proxy.soap_header(token, credentials, NULL, NULL, NULL, NULL);
}

static void fault(const char *label, BasicHttpBinding_USCOREUserProxy &proxy) {
    const char **code = soap_faultcode(proxy.soap);
    printf("%s fault code=%s reason=\"%s\"\n", label, code && *code ? *code : "null",
           soap_fault_string(proxy.soap) ? soap_fault_string(proxy.soap) : "");
}

static void reply_headers(const char *label, BasicHttpBinding_USCOREUserProxy &proxy) {
    SOAP_ENV__Header *h = proxy.soap->header;
    printf("%s succeeded=%s", label, flag(h ? h->ns1__Succeeded : NULL).c_str());
    if (h && h->ns1__ExceptionInfo) printf(" exception=%s", text(h->ns1__ExceptionInfo->Message).c_str());
    printf("\n");
}

static _ns1__SaveCredential *save_request(struct soap *soap, int user_id) {
    _ns1__SaveCredential *request = soap_new__ns1__SaveCredential(soap);
    request->UserId = soap_new_int(soap);
    *request->UserId = user_id;
    ns1__Credential *credential = soap_new_ns1__Credential(soap);
    credential->Type = soap_new_ns1__CredentialType(soap);
    credential->Type->Type = soap_new_std__string(soap);
    *credential->Type->Type = "password";
    credential->Type->DisplayType = soap_new_std__string(soap);
    *credential->Type->DisplayType = "Password <&>";
    credential->Type->ValueControl = soap_new_ns1__CredentialControlType(soap);
    *credential->Type->ValueControl = ns1__CredentialControlType__Password;
    credential->Type->CanCreatePerson = soap_new_bool(soap);
    *credential->Type->CanCreatePerson = false;
    credential->Value = soap_new_std__string(soap);
    *credential->Value = "s3cr&t \"quoted\"";
    credential->DisplayValue = soap_new_std__string(soap);
    *credential->DisplayValue = "jane";
    request->Credential = credential;
    return request;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: interop URL\n");
        return 2;
    }
    const char *url = argv[1];
    BasicHttpBinding_USCOREUserProxy proxy(url);
    struct soap *soap = proxy.soap;

    headers(proxy, "7T:gsoap");
    _ns1__SaveCredentialResponse saved;
    if (proxy.SaveCredential(save_request(soap, 42), saved) == SOAP_OK) {
        printf("SaveCredential response=%s\n", flag(saved.Response).c_str());
        reply_headers("SaveCredential", proxy);
    } else {
        fault("SaveCredential", proxy);
    }

    headers(proxy, "7T:gsoap");
    _ns1__GetCredentialTypes types_request;
    _ns1__GetCredentialTypesResponse types;
    if (proxy.GetCredentialTypes(&types_request, types) == SOAP_OK) {
        if (!types.Response) {
            printf("GetCredentialTypes null\n");
        } else {
            printf("GetCredentialTypes items=%zu\n", types.Response->CredentialType.size());
            for (ns1__CredentialType *t : types.Response->CredentialType) {
                if (!t) {
                    printf("item null\n");
                    continue;
                }
                printf("item Type=%s DisplayType=%s Description=%s ValueControl=%s CanCreatePerson=%s "
                       "IsUserNameSupported=%s\n",
                       text(t->Type).c_str(), text(t->DisplayType).c_str(), text(t->Description).c_str(),
                       t->ValueControl ? soap_ns1__CredentialControlType2s(soap, *t->ValueControl) : "null",
                       flag(t->CanCreatePerson).c_str(), flag(t->IsUserNameSupported).c_str());
            }
        }
    } else {
        fault("GetCredentialTypes", proxy);
    }

    headers(proxy, "7T:gsoap");
    _ns1__SaveCredentialResponse refused;
    if (proxy.SaveCredential(save_request(soap, 0), refused) == SOAP_OK) {
        printf("Fault response=%s\n", flag(refused.Response).c_str());
    } else {
        fault("Fault", proxy);
    }

    headers(proxy, "expired");
    _ns1__SaveCredentialResponse expired;
    if (proxy.SaveCredential(save_request(soap, 42), expired) == SOAP_OK) {
        printf("ServiceError response=%s\n", flag(expired.Response).c_str());
        reply_headers("ServiceError", proxy);
    } else {
        fault("ServiceError", proxy);
    }

    headers(proxy, "7T:gsoap");
    _ns1__DeleteCredential remove;
    remove.UserId = soap_new_int(soap);
    *remove.UserId = 42;
    remove.CredentialType = soap_new_std__string(soap);
    *remove.CredentialType = "password";
    _ns1__DeleteCredentialResponse removed;
    if (proxy.DeleteCredential(&remove, removed) == SOAP_OK) {
        printf("DeleteCredential ok\n");
    } else {
        fault("DeleteCredential", proxy);
    }
    proxy.destroy();
    return 0;
}
