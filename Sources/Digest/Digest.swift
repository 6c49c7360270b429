import CLibCrypto

/// SHA-256 and HMAC-SHA256 from the system's libcrypto (OpenSSL 3), the only primitives the tool needs:
/// file digests recorded for every imported input, and the MAC of probe tokens.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    /// A hasher over no bytes yet; stops the process if libcrypto cannot set up SHA-256 (a broken install, not bad input).
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto: cannot initialise SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest; call it per chunk so that large inputs are hashed while they stream in.
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }

    /// The 32-byte digest; the hasher cannot be used afterwards.
    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &out, &length)
        return Array(out.prefix(Int(length)))
    }

    /// SHA-256 of `bytes` in one call (32 bytes), for inputs already in memory.
    public static func digest<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// HMAC-SHA256 in one call, for occasional MACs; ``HMACSHA256Key`` when one key signs many messages.
public enum HMACSHA256 {
    /// HMAC-SHA256 of `message` under `key` (RFC 2104), 32 bytes.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length) != nil
            }
        }
        precondition(ok, "libcrypto: HMAC-SHA256 failed")
        return Array(out.prefix(Int(length)))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}

/// HMAC-SHA256 under one fixed key (RFC 2104), with the key schedule done once: the SHA-256 states
/// after the inner (key XOR ipad) and outer (key XOR opad) blocks are kept, and each message only
/// copies them. Same result as ``HMACSHA256/authenticationCode(key:message:)``, without the one-shot
/// call's per-message setup. Safe to share between threads (the kept states are only read).
public final class HMACSHA256Key: @unchecked Sendable {
    private let inner: OpaquePointer
    private let outer: OpaquePointer
    private static let blockSize = 64

    /// Precomputes the inner and outer states for `key` (a key longer than 64 bytes is hashed first, as RFC 2104 says).
    public init(key: [UInt8]) {
        var block = key.count > Self.blockSize ? SHA256Hasher.digest(key) : key
        block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
        guard let inner = EVP_MD_CTX_new(), let outer = EVP_MD_CTX_new(),
              EVP_DigestInit_ex(inner, EVP_sha256(), nil) == 1, EVP_DigestInit_ex(outer, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto: cannot initialise HMAC-SHA256")
        }
        let innerPad = block.map { $0 ^ 0x36 }, outerPad = block.map { $0 ^ 0x5c }
        guard EVP_DigestUpdate(inner, innerPad, innerPad.count) == 1, EVP_DigestUpdate(outer, outerPad, outerPad.count) == 1 else {
            fatalError("libcrypto: cannot initialise HMAC-SHA256")
        }
        self.inner = inner
        self.outer = outer
    }

    deinit {
        EVP_MD_CTX_free(inner)
        EVP_MD_CTX_free(outer)
    }

    /// The 32-byte code of `message`.
    public func authenticationCode(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_MD_CTX_copy_ex(context, inner) == 1
            && EVP_DigestUpdate(context, message.baseAddress, message.count) == 1
            && EVP_DigestFinal_ex(context, &digest, &length) == 1
            && EVP_MD_CTX_copy_ex(context, outer) == 1
            && EVP_DigestUpdate(context, digest, Int(length)) == 1
            && EVP_DigestFinal_ex(context, &digest, &length) == 1
        precondition(ok, "libcrypto: HMAC-SHA256 failed")
        digest.removeSubrange(Int(length)...)
        return digest
    }

    /// HMAC-SHA256 of `message` under this key, 32 bytes.
    public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticationCode($0) }
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
