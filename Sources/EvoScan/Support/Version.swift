/// evoscan's version, printed by `--version` and written into reports.
public enum EvoScanVersion {
    public static let string = "0.1.0"
}
