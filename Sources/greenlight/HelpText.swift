/// The paragraphs several commands' help shares, in the form the man pages read: a heading
/// line ending in a colon (Environment:, Files:), then an indented two-column table.
enum HelpText {
  /// The environment of a launch (`run`, `check`, and `test` for its processes).
  static let launchEnvironment = """
    Environment:
      VIRTUAL_ENV                 the Python, when --python is not given
      DISABLE_EVENTLET_PATCHING   anything but empty, 0, false or no: the mode
                                  is none, whatever --patch says
      GREENLIGHT_FORBID_EVENTLET  anything but empty or 0: as --forbid-eventlet
      NO_COLOR                    set: no colour in the text report
    """

  /// The files a launch reads.
  static let files = """
    Files:
      greenlight.toml   the policy, found from the working directory up
                        (or --policy FILE); see docs/policy.md, installed
                        as /usr/share/doc/greenlight/policy.md
      pyproject.toml    its [tool.greenlight] table is the policy of a folder
                        that has no greenlight.toml
      .venv             the nearest from the working directory up is the
                        Python, when neither --python nor VIRTUAL_ENV is given
    """
}
