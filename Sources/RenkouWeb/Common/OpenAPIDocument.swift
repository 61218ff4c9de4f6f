import Foundation

/// The OpenAPI 3.1 description of the JSON API, shipped as a resource and served as it is.
public struct OpenAPIDocument: Sendable {
    public let data: Data
    /// Every documented `(method, path)`.
    public let operations: [Operation]
    /// What the document says of methods and parameters, applied to every API request.
    let contract: APIContract

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
        func part(_ name: String) throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: ResourceFiles.url("openapi/\(name).json")))
        }
        var root = try part("common").object
        var paths = root["paths"]?.object ?? [:]
        var components = root["components"]?.object ?? [:]
        var schemas = components["schemas"]?.object ?? [:]
        for module in webModules {
            guard let name = module.openAPI else { continue }
            let p = try part(name)
            paths.merge(p["paths"]?.object ?? [:]) { a, _ in a }
            schemas.merge(p["components"]?["schemas"]?.object ?? [:]) { a, _ in a }
        }
        components["schemas"] = .object(schemas)
        root["paths"] = .object(paths); root["components"] = .object(components)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(JSONValue.object(root))
        var ops: [Operation] = []
        for path in paths.keys.sorted() {
            for (method, value) in paths[path]!.object.sorted(by: { $0.key < $1.key }) {
                guard ["get", "post", "put", "patch", "delete"].contains(method) else { continue }
                let params = value["parameters"]?.array.map {
                    (name: $0["name"]?.string ?? "", location: $0["in"]?.string ?? "", required: $0["required"]?.bool ?? false,
                     description: $0["description"]?.string ?? "")
                } ?? []
                let responses = (value["responses"]?.object ?? [:]).sorted { $0.key < $1.key }.map {
                    (code: $0.key, description: $0.value["description"]?.string ?? "")
                }
                ops.append(Operation(method: method, path: path, summary: value["summary"]?.string ?? "",
                                     description: value["description"]?.string, parameters: params, responses: responses))
            }
        }
        return OpenAPIDocument(data: data, operations: ops, contract: APIContract(document: .object(root)))
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
