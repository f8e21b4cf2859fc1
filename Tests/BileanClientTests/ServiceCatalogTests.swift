import BileanCore
import Testing

@testable import BileanClient

@Suite("ServiceCatalog")
struct ServiceCatalogTests {
    func catalog() throws -> ServiceCatalog {
        try ServiceCatalog(json: try JSONReader.parse(KeystoneFixtures.catalogJSON))
    }

    @Test func readsKeystonesCatalog() throws {
        let catalog = try self.catalog()
        #expect(catalog.serviceTypes == ["identity", "billing"])
        #expect(catalog.services[1].name == "bilean")
        #expect(
            catalog.services[1].endpoints[2]
                == ServiceCatalog.Endpoint(
                    interface: "public",
                    region: "Two",
                    regionID: "region-two-id",
                    url: "http://public-two:8770/v1"
                )
        )
    }

    @Test(
        arguments: [
            ("public", nil, "http://public-one:8770/v1"),
            ("internal", nil, "http://internal-one:8770/v1"),
            ("admin", nil, "http://admin-two:8770"),
            ("public", "Two", "http://public-two:8770/v1"),
            ("public", "region-two-id", "http://public-two:8770/v1"),
            ("public", "RegionOne", "http://public-one:8770/v1"),
        ] as [(String, String?, String)]
    )
    func endpointByInterfaceAndRegion(interface: String, region: String?, url: String) throws {
        #expect(try self.catalog().endpointURL(type: "billing", interface: interface, region: region) == url)
    }

    @Test func noEndpointForTheInterfaceRegionOrType() throws {
        let catalog = try self.catalog()
        #expect(catalog.endpointURL(type: "billing", interface: "internal", region: "Two") == nil)
        #expect(catalog.endpointURL(type: "billing", interface: "public", region: "Three") == nil)
        #expect(catalog.endpointURL(type: "rating", interface: "public", region: nil) == nil)
    }

    @Test func incompleteEntriesAreSkippedAndNonArraysRefused() throws {
        let catalog = try ServiceCatalog(
            json: try JSONReader.parse(
                #"[{"endpoints": []}, {"type": "billing", "endpoints": [{"interface": "public"}, {"url": "http://x"}]}]"#
            )
        )
        #expect(catalog.services == [ServiceCatalog.Service(type: "billing", endpoints: [])])
        #expect(throws: BileanClientError.self) { try ServiceCatalog(json: .object([:])) }
        #expect(throws: BileanClientError.self) { try ServiceCatalog(json: .array([.string("x")])) }
    }
}
