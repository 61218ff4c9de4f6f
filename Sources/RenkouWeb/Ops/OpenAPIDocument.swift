import Foundation

/// The OpenAPI 3.1 description of the JSON API, shipped as a resource and served as it is.
public struct OpenAPIDocument: Sendable {
    public let data: Data
    /// Every documented `(method, path)`.
    public let operations: [Operation]

    public struct Operation: Sendable {
        public let method: String
        public let path: String
        public let summary: String
        public let description: String?
        public let parameters: [(name: String, location: String, required: Bool, description: String)]
        public let responses: [(code: String, description: String)]
    }

    public static func load() throws -> OpenAPIDocument {
        let data = try Data(contentsOf: ResourceFiles.url("openapi.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var ops: [Operation] = []
        let paths = root["paths"] as? [String: [String: Any]] ?? [:]
        for path in paths.keys.sorted() {
            for (method, value) in paths[path]!.sorted(by: { $0.key < $1.key }) {
                guard ["get", "post", "put", "patch", "delete"].contains(method), let op = value as? [String: Any] else { continue }
                let params = (op["parameters"] as? [[String: Any]] ?? []).map {
                    (name: $0["name"] as? String ?? "", location: $0["in"] as? String ?? "", required: $0["required"] as? Bool ?? false,
                     description: $0["description"] as? String ?? "")
                }
                let responses = (op["responses"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map {
                    (code: $0.key, description: ($0.value as? [String: Any])?["description"] as? String ?? "")
                }
                ops.append(Operation(method: method, path: path, summary: op["summary"] as? String ?? "",
                                     description: op["description"] as? String, parameters: params, responses: responses))
            }
        }
        return OpenAPIDocument(data: data, operations: ops)
    }
}

/// The stylesheet and script, read once from the resources.
struct Assets: Sendable {
    let files: [String: (type: String, data: Data)]
    static func load() throws -> Assets {
        let dir = ResourceFiles.url("Assets")
        var files: [String: (String, Data)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            files[name] = (type, try Data(contentsOf: dir.appendingPathComponent(name)))
        }
        return Assets(files: files)
    }
}
