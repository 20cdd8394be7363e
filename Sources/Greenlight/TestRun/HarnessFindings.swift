/// Under `greenlight test`, what a test harness did before the suite's own patch is not a
/// hazard of the code under test: stestr's worker (subunit, testtools, fixtures) and pytest
/// load `socket`, `queue` and `threading` before any test package can patch. GL101 and GL107
/// located in a harness package stay in the report, as info that says so; everything else
/// is unchanged. A suite that wants them gone patches first (`--patch first`).
enum HarnessFindings {
  static let rules: Set<String> = [Rule.importedBeforePatch.id, Rule.staleOriginal.id]

  static func judge(_ findings: [Finding]) -> [Finding] {
    findings.map { finding in
      guard rules.contains(finding.rule), finding.severity != .info,
        let file = finding.location?.file,
        let package = CodeOrigin.installedPackage(file),
        RuntimeWatch.harnessPackages.contains(package)
      else { return finding }
      var lowered = finding
      lowered.severity = .info
      lowered.message +=
        " The test harness (\(package)) did this before the suite's own patch: not a hazard of"
        + " the code under test."
      return lowered
    }
  }
}
