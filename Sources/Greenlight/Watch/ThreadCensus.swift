/// The run-time watch's count of the OS threads started from Python: how many each start
/// site made, and where each living thread was started (GL503 lists them when the service
/// forks). Green threads are not here: only pthread_create reaches it.
struct ThreadCensus: Equatable, Sendable {
  /// How many of the sites the summary names.
  static let topSites = 3

  /// Threads started at each site (`file:line`).
  private(set) var counts: [String: Int] = [:]
  /// Sites in the order first seen, so that ties keep that order.
  private var order: [String] = []
  /// The start site of each thread by its threading ident; an ident the system reuses is
  /// overwritten by the newer thread.
  private var sites: [UInt: String] = [:]

  /// How many threads were started by code other than eventlet's tpool or a debugger.
  private(set) var unexpected = 0

  /// How many threads were started from Python since the watch started.
  var total: Int { counts.values.reduce(0, +) }

  /// Records a thread started at `site`; `expected` when eventlet's tpool or a debugger
  /// started it.
  mutating func started(_ ident: UInt, at site: String, expected: Bool) {
    if !expected { unexpected += 1 }
    if counts[site] == nil { order.append(site) }
    counts[site, default: 0] += 1
    sites[ident] = site
  }

  /// Where the thread with threading ident `ident` was started, when the watch saw it.
  func site(of ident: UInt) -> String? { sites[ident] }

  /// The sites that started most threads, most first.
  func top(_ limit: Int = topSites) -> [(site: String, count: Int)] {
    let ranked = order.enumerated().sorted {
      (counts[$0.element]!, -$0.offset) > (counts[$1.element]!, -$1.offset)
    }
    return ranked.prefix(limit).map { ($0.element, counts[$0.element]!) }
  }

  /// The summary's part: `OS threads: peak 4, started at a.py:3 ×2, b.py:9 ×1`.
  func description(peak: Int) -> String {
    var text = "OS threads: peak \(peak)"
    let sites = top()
    if !sites.isEmpty {
      text += ", started at " + sites.map { "\($0.site) ×\($0.count)" }.joined(separator: ", ")
    }
    return text
  }

  /// The census in the JSON-lines summary.
  func report(peak: Int) -> Report {
    Report(peak: peak, sites: top().map { Report.Site(site: $0.site, count: $0.count) })
  }

  /// `{"peak": 4, "sites": [{"site": "a.py:3", "count": 2}]}`.
  struct Report: Encodable {
    struct Site: Encodable {
      let site: String
      let count: Int
    }
    let peak: Int
    let sites: [Site]
  }
}
