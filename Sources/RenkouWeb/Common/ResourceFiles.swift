import Foundation

/// Where the files shipped with the binary live (templates, assets, openapi.json).
enum ResourceFiles {
    /// `Bundle.resourceURL` differs between platforms when the bundle holds a `Resources` folder,
    /// so paths are built from the bundle itself.
    static func url(_ name: String) -> URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name)
    }
}
