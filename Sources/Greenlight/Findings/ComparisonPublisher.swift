import PythonRuntime

/// Where a comparison goes: its text always to stderr (the differing tests and the counts),
/// and the whole comparison to `--report-file` when one is given: JSON unless `--format`
/// says sarif or text.
enum ComparisonPublisher {
  static func publish(_ comparison: ComparisonReport, options: ReportOptions) {
    let file = options.file
    StandardError.line(ComparisonText.render(comparison, stacksElsewhere: file))
    guard let file else { return }
    let text: String
    switch options.format {
    case .text: text = ComparisonText.render(comparison, stacksElsewhere: nil)
    case .json: text = ReportRenderer.encode(ComparisonJSON(comparison))
    case .sarif:
      text = ComparisonSARIF.render(comparison, workingDirectory: FileSystem.currentDirectory())
    }
    if !FileSystem.replace(file, with: text + "\n") {
      StandardError.line("greenlight: error: cannot write the report to \(file).")
    }
  }
}
