/// A problem with a whole input (not one row): the run stops with exit status 1.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case emptyInput(path: String)
    /// Nothing but spaces and line ends: judged as a CSV header of one empty name, it was refused for a
    /// config's column "not in the header".
    case blankInput(path: String)
    case unknownKind(path: String, header: [String])
    case missingColumns(path: String, kind: String, columns: [String])
    case unsupported(path: String, reason: String)
    /// A column the mapping config names is not in this file's header.
    case missingConfigColumn(path: String, key: String, column: String)
    /// More distinct labels of one kind than `LabelLimit` allows, over all inputs of the run.
    case tooManyLabels(kind: String)
    /// The temporary file for what does not fit in memory (`ScratchFile`) could not be created or written.
    case scratchFailed(directory: String, reason: String, contents: String = "the ids kept for duplicate detection")

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open: \(reason)"
        case let .readFailed(path, reason): return "\(path): read failed: \(reason)"
        case let .emptyInput(path): return "\(path): the file is empty (expected a header line, or JSON records)"
        case let .blankInput(path): return "\(path): the file holds only blank lines (expected a header line, or JSON records)"
        case let .unknownKind(path, header) where header.first.map { $0.hasPrefix("[") } ?? false:
            return "\(path): this looks like a JSON array; records are read as one JSON object each, one per line or one after another "
                + "(as Amazon Connect and Kinesis Firehose write them), with a --config naming their members; "
                + "convert an array first, e.g. jq -c '.[]' FILE > records.jsonl"
        case let .unknownKind(path, header):
            let shown = header.prefix(8).map { "\"\(Escaping.excerpt($0, limit: 40))\"" }.joined(separator: ", ") + (header.count > 8 ? ", ..." : "")
            let other = header.count == 1 ? [(";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")].first { header[0].contains($0.0) } : nil
            // A first line of data (SQL Server Management Studio saves results without a header): --kind, which the
            // hint gave, only led to "missing required columns" (a review).
            let dated = header.first { field in
                field.contains(where: \.isNumber) && field.range(of: #"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?\s*$"#, options: .regularExpression) != nil
            }
            let hint = other.map { "; its header is one column holding \($0.1)s: give --delimiter \($0.1)" }
                ?? dated.map { "; its first line looks like data (\"\(Escaping.excerpt($0, limit: 40))\"), not a header: the file needs a header "
                    + "line naming its columns first (contacts: contact_id,channel,arrived_at,...; incidents: incident_id,raised_at,...), "
                    + "or, if a title stands above the header, the lines above it taken out" }
                ?? " (or use --kind)"
            return "\(path): cannot tell what this file holds from its header (\(shown)); a contacts file needs columns channel and arrived_at, an incidents file raised_at\(hint)"
        case let .missingColumns(path, kind, columns):
            return "\(path): missing required column\(columns.count == 1 ? "" : "s") for \(kind.first.map { "aeiou".contains($0) } == true ? "an" : "a") \(kind) file: \(columns.joined(separator: ", "))"
        case let .unsupported(path, reason): return "\(path): \(reason)"
        case let .missingConfigColumn(path, key, column):
            return "\(path): the config's \(key) names column \"\(Escaping.excerpt(column))\", which is not in the header"
        case let .tooManyLabels(kind):
            return "the inputs hold more than \(DisplayFormat.count(Int64(LabelLimit.labels))) distinct \(kind) labels (or more than \(LabelLimit.bytes >> 20) MB of them); "
                + "a \(kind) column holds a few labels, so this one is probably the wrong column (check the header, or the config's columns)"
        case let .scratchFailed(directory, reason, contents):
            return "cannot write temporary data (\(contents)) in \(directory): \(reason); set TMPDIR to a writable directory with room for it"
        }
    }
}
