import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The system's reason for a failed file operation in strerror's words, first letter in lower case
/// (`no space left on device`), for messages of the form `PATH: what failed: why`.
public enum SystemReason {
    /// The text of a POSIX error number.
    public static func text(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// The reason behind an error Foundation threw: its POSIX error number when it carries one (directly
    /// or as the underlying error), else the errno its Cocoa file code stands for.
    static func text(_ error: any Error) -> String {
        if let code = errnoCode(of: error) { return text(errno: code) }
        let error = error as NSError
        return "failed (\(error.domain) error \(error.code))"
    }

    /// The POSIX error number behind an error Foundation threw, if it has one (a failed decoding has none).
    static func errnoCode(of error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, let code = errnoCode(of: underlying) {
            return code
        }
        guard error.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileWriteFileExists: return EEXIST
        case .fileReadTooLarge: return EFBIG
        default: return nil
        }
    }
}
