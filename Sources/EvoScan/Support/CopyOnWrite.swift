/// The fields of a value type kept in one shared box: copying the value is one retain
/// however many strings and arrays the fields hold, and a write while the box is shared
/// copies it first, so the value semantics are kept.
///
/// For the values that travel through many copies on the hot path (`PrismaFacts`,
/// `EvolutionHeader`): stored inline, every copy retained and every drop released each of
/// their strings.
struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    // Written only when uniquely referenced (`_modify`), hence `@unchecked Sendable`.
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) { box = Box(value) }

    var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    /// The same box: equal, and known to be without comparing.
    func sharesBox(with other: CopyOnWrite) -> Bool { box === other.box }
}

/// Equal values; one box is equal to itself without a comparison of its fields.
extension CopyOnWrite: Equatable where Value: Equatable {
    static func == (a: CopyOnWrite, b: CopyOnWrite) -> Bool { a.sharesBox(with: b) || a.value == b.value }
}
