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

    /// The shared part (`openapi/common.json`: info, security, shared responses and schemas) with every
    /// web module's part merged in (`openapi/<module>.json`: its paths and schemas).
    public static func load() throws -> OpenAPIDocument {
        func part(_ name: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: ResourceFiles.url("openapi/\(name).json"))) as? [String: Any] ?? [:]
        }
        var root = try part("common")
        var allPaths = root["paths"] as? [String: Any] ?? [:]
        var components = root["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        for module in webModules {
            guard let name = module.openAPI else { continue }
            let p = try part(name)
            allPaths.merge(p["paths"] as? [String: Any] ?? [:]) { a, _ in a }
            schemas.merge((p["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]) { a, _ in a }
        }
        components["schemas"] = schemas
        root["paths"] = allPaths; root["components"] = components
        let data = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])
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
