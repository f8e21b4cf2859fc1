/// Prices Cinder snapshots by size: `price` per GB, `unit: per_hour | per_sec`.
///
/// The resource property `size` is the snapshot's size in whole GB (Cinder's `volume_size`: the size of the volume
/// it was taken from). A snapshot costs `price × size` per unit of time, exactly. A snapshot with no valid size
/// (anything but a whole number ≥ 0) costs 0 and yields a warning.
package struct CinderSnapshotPlugin: ResourcePlugin {
    package let resourceType = "os.cinder.snapshot"
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        let (price, unit) = try NeutronFloatingIPPlugin.parsePrice(properties)
        return SizePricer(
            ratePerGB: unit.rate(price),
            sizeUnitsPerGB: 1,
            property: "size",
            sizeUnit: "GB",
            noun: "snapshot"
        )
    }
}
