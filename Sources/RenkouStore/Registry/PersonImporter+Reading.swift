import AsyncAlgorithms
import Foundation
import RenkouCore
import RenkouFiles
import SQLKit

/// The reading task of an import: the file read and parsed beside the writing one.
extension PersonImporter {
    /// What the reading task hands the writing one: the header's layout and its notes (a title row
    /// skipped, unknown columns) first, then the parsed rows a batch at a time.
    enum ImportPiece: Sendable {
        case header(PersonImportLayout, [ImportProblem])
        /// The rows, and the share of the file read when they were handed over (reported once written).
        case rows([PersonImportRow], read: Double)
    }

    /// Reads `file` and parses its rows into `pieces`, a batch (`batchSize` rows) at a time; each send
    /// waits until the writer takes it. Ends the channel when the file is read, or fails it with the
    /// reading's error (no headers, an unreadable file). Returns the layout and what the reading found.
    static func parse(_ file: URL, into pieces: AsyncThrowingChannel<ImportPiece, any Error>,
                      unit: String, today: Day, codeTable: (@Sendable (String) -> AreaCode?)?, policy: Policy) async throws -> (PersonImportLayout, ImportPipeline.Reading) {
        var pending: ImportPiece?
        do {
            var batch: [PersonImportRow] = []
            batch.reserveCapacity(batchSize)
            var read = 0.0
            let (layout, reading) = try await ImportPipeline.read(file, progress: { read = $0 }, header: { cells, row in
                let layout = try PersonImportLayout(headers: cells)
                var notes: [ImportProblem] = []
                if row > 1 {
                    notes.append(ImportProblem(row: row, column: "", value: "", isError: false,
                                               reason: Text("表头在第 \(row) 行，上面的标题行已跳过。", "The headers are on row \(row); the title rows above were skipped.")))
                }
                for column in layout.ignored {
                    notes.append(ImportProblem(row: row, column: column, value: "", isError: false, reason: Text("未知的列，已忽略。", "Unknown column, ignored.")))
                }
                // Sent from here (not awaited: a header closure is synchronous) by the first row or the end.
                pending = .header(layout, notes)
                return layout
            }, row: { layout, cells, row in
                if let header = pending { pending = nil; await pieces.send(header) }
                batch.append(PersonImportRow.parse(cells, row: row, layout: layout, defaultUnit: unit, today: today, codeTable: codeTable, policy: policy))
                if batch.count >= batchSize {
                    await pieces.send(.rows(batch, read: read))
                    batch.removeAll(keepingCapacity: true)
                    // The writer stopped (an error, a cancelled request): stop reading.
                    try Task.checkCancellation()
                }
            })
            if let header = pending { pending = nil; await pieces.send(header) }
            if !batch.isEmpty { await pieces.send(.rows(batch, read: 1)) }
            try Task.checkCancellation()
            pieces.finish()
            return (layout, reading)
        } catch {
            // Notes of a header already found stay in the report when the reading fails before any row.
            if let header = pending, !Task.isCancelled { await pieces.send(header) }
            pieces.fail(error)
            throw error
        }
    }
}
