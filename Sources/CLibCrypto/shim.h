#ifndef HOTFIX_AUDIT_CLIBCRYPTO_SHIM_H
#define HOTFIX_AUDIT_CLIBCRYPTO_SHIM_H
// The system's OpenSSL libcrypto (Debian: libssl-dev), for SHA-256 and HMAC-SHA256 only.
// Linking it instead of swift-crypto spares every clean build the compilation of BoringSSL.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#endif
