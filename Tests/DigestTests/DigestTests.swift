import Digest
import Testing

@Suite struct DigestTests {
    private func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func sha256KnownAnswers() {
        // FIPS 180-2 examples.
        #expect(SHA256Hasher.digest(Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hasher.digest([UInt8]()).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Fed in pieces (as files are, in chunks) gives the digest of the whole.
        var hasher = SHA256Hasher()
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        hasher.update(message[..<7])
        hasher.update(message[7...])
        #expect(hasher.finalize().hexString == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hmacRFC4231() {
        // RFC 4231 test cases 1, 2 and 6 (a key longer than the block size).
        #expect(HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMACSHA256.authenticationCode(key: [UInt8](repeating: 0xaa, count: 131),
                                              message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)).hexString
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacKeyRFC4231() {
        // RFC 4231 test cases 1, 2, 4 and 6 through the precomputed key: same answers as the one-shot call.
        let cases: [(key: [UInt8], message: [UInt8], code: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (bytes(hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ]
        for entry in cases {
            let key = HMACSHA256Key(key: entry.key)
            #expect(key.authenticationCode(entry.message).hexString == entry.code)
            // The key is reusable: a second message, then the first again.
            #expect(key.authenticationCode([]) == HMACSHA256.authenticationCode(key: entry.key, message: []))
            #expect(key.authenticationCode(entry.message).hexString == entry.code)
        }
        // A key of exactly one block is used as is.
        let block = [UInt8](0..<64)
        #expect(HMACSHA256Key(key: block).authenticationCode(Array("x".utf8)) == HMACSHA256.authenticationCode(key: block, message: Array("x".utf8)))
    }

    @Test func constantTimeEqualCompares() {
        #expect(HMACSHA256.constantTimeEqual(bytes(hex: "00ff10"), bytes(hex: "00ff10")))
        #expect(!HMACSHA256.constantTimeEqual(bytes(hex: "00ff10"), bytes(hex: "00ff11")))
        #expect(!HMACSHA256.constantTimeEqual(bytes(hex: "00ff"), bytes(hex: "00ff10")))
        #expect(HMACSHA256.constantTimeEqual([], []))
    }
}
