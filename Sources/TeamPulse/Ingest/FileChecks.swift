#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Only regular files are read: a FIFO would block the run (or be read once), a device or socket
/// never ends, a directory is no CSV.
enum RegularFile {
    /// Fails unless `path`, symbolic links followed, is a regular file; a dangling link says where
    /// it points. Looks with stat(2) only: nothing is opened.
    static func check(_ path: String, shownAs shown: String) throws(TeamPulseError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            var link = stat()
            if code == ENOENT, lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                throw .input(
                    SourceLocation(path: shown),
                    "\(String(cString: strerror(code))): the symbolic link points to '\(target(of: path))', which does not exist")
            }
            throw .input(SourceLocation(path: shown), String(cString: strerror(code)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .input(SourceLocation(path: shown), refusal(info.st_mode))
        }
    }

    /// Why a file of this mode is not read.
    static func refusal(_ mode: mode_t) -> String {
        let kind: String
        switch mode & S_IFMT {
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFDIR: kind = "a directory"
        default: kind = "not a plain file"
        }
        return "not a regular file: it is \(kind); only regular files (or links to them) are read"
    }

    private static func target(of path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Tells binary data from text in an encoding whose units are single bytes (UTF-8, GB18030, GBK,
/// Latin-1: every encoding read but UTF-16), where control characters other than tab, line feed,
/// vertical tab, form feed, carriage return and escape do not occur in text.
enum BinaryContent {
    /// How much of the file is looked at.
    static let sampleBytes = 64 << 10

    /// The offset of the first control byte when the first block (from `start`) looks binary: more
    /// than 1 % of its bytes are control bytes. `nil` for text, and for text that looks like UTF-16
    /// without a byte order mark (an eighth or more of the bytes are NUL, nine in ten of them on
    /// even offsets or nine in ten on odd ones): that is a wrong encoding, told by the header check.
    static func firstBinaryByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let end = min(bytes.count, start + sampleBytes)
        guard start < end else { return nil }
        var controls = 0
        var first: Int?
        var nulsAt = (even: 0, odd: 0)
        for index in start..<end {
            let byte = bytes[index]
            guard byte < 0x20, !allowed(byte) else { continue }
            controls += 1
            if first == nil { first = index }
            if byte == 0 {
                if (index - start) % 2 == 0 { nulsAt.even += 1 } else { nulsAt.odd += 1 }
            }
        }
        let length = end - start
        let nuls = nulsAt.even + nulsAt.odd
        if nuls * 8 >= length, max(nulsAt.even, nulsAt.odd) * 10 >= nuls * 9 { return nil }
        return controls * 100 > length ? first : nil
    }

    /// Control bytes that plain text holds: tab, LF, VT, FF, CR, ESC.
    @inline(__always)
    private static func allowed(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0B || byte == 0x0C || byte == 0x0D || byte == 0x1B
    }
}
