import Foundation
import HTTPTypes
import Hummingbird

/// The headers a system of personal records sends with every response, pages, files and API alike:
/// a strict Content-Security-Policy (the project ships every script and style itself: no inline
/// script or style, nothing from another site; images may be `data:` for the photos and QR codes
/// drawn into pages), no MIME sniffing, no framing by another site (`frame-ancestors`, and
/// `X-Frame-Options` for older browsers), and no address of ours in another site's Referer.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }
    static var headers: HTTPFields {
        [HTTPField.Name("Content-Security-Policy")!: policy, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
         HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("Referrer-Policy")!: "same-origin"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            for field in Self.headers where response.headers[field.name] == nil { response.headers.append(field) }
            return response
        } catch let error as any HTTPResponseError {
            // errors the inner middleware did not answer still go out with the headers
            var response = try error.response(from: request, context: context)
            for field in Self.headers where response.headers[field.name] == nil { response.headers.append(field) }
            return response
        }
    }
}
