public import ArgumentParser
public import Greenlight

/// `--patch first|target|none`.
extension PatchMode: ExpressibleByArgument {}
