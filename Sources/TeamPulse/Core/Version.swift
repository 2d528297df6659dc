public enum TeamPulseVersion { public static let string = "1.0.0" }
