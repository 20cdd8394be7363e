public import ArgumentParser
public import Greenlight

/// `--patch first|target|none`.
extension PatchMode: ExpressibleByArgument {}

/// `--format text|json|sarif`.
extension ReportFormat: ExpressibleByArgument {}
