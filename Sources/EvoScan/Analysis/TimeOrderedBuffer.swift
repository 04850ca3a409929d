/// Items keyed by a time in seconds, nearly always appended in time order, with range
/// queries by binary search and pruning of the old end: the evidence the correlator keeps
/// around each failure.
struct TimeOrderedBuffer<Item> {
    private(set) var times: [Int64] = []
    private(set) var items: [Item] = []
    private var sorted = true

    var count: Int { items.count }

    mutating func append(_ item: Item, at time: Int64) {
        if let last = times.last, time < last { sorted = false }
        times.append(time)
        items.append(item)
    }

    /// Items with `from <= time <= to`.
    mutating func range(from: Int64, to: Int64) -> ArraySlice<Item> {
        sortIfNeeded()
        let lo = lowerBound(from)
        var hi = lo
        while hi < times.count, times[hi] <= to { hi += 1 }
        return items[lo..<hi]
    }

    /// Forgets items older than `limit`.
    mutating func prune(before limit: Int64) {
        sortIfNeeded()
        let n = lowerBound(limit)
        if n > 0 {
            times.removeFirst(n)
            items.removeFirst(n)
        }
    }

    mutating func sortNow() { sortIfNeeded() }

    private mutating func sortIfNeeded() {
        guard !sorted else { return }
        let order = times.indices.sorted { times[$0] < times[$1] }
        times = order.map { times[$0] }
        items = order.map { items[$0] }
        sorted = true
    }

    private func lowerBound(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
