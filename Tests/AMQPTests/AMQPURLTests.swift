import Testing

@testable import AMQP

@Suite struct AMQPURLTests {
    @Test func aPlainAMQPURL() throws {
        let url = try AMQPURL("amqp://bilean:s3cret@127.0.0.1:55672/")
        #expect(url.hosts == [.init(host: "127.0.0.1", port: 55672, username: "bilean", password: "s3cret")])
        #expect(url.virtualHost == "/")
        #expect(!url.tls)
    }

    @Test func defaultsAreGuestOnTheStandardPorts() throws {
        #expect(try AMQPURL("amqp://mq").hosts == [.init(host: "mq", port: 5672, username: "guest", password: "guest")])
        #expect(try AMQPURL("amqps://mq/").hosts.first?.port == 5671)
        #expect(try AMQPURL("amqps://mq/").tls)
    }

    @Test func theOsloFormListsSeveralHostsForFailover() throws {
        let url = try AMQPURL("rabbit://a:p1@mq1:5672,b:p%40ss@mq2:5673/openstack")
        #expect(
            url.hosts == [
                .init(host: "mq1", port: 5672, username: "a", password: "p1"),
                .init(host: "mq2", port: 5673, username: "b", password: "p@ss"),
            ]
        )
        #expect(url.virtualHost == "openstack")
    }

    @Test(arguments: [
        ("amqp://h/%2f", "/"), ("amqp://h/%2Fbilean", "/bilean"), ("amqp://h", "/"), ("amqp://h/", "/"),
        ("amqp://h/v%20h", "v h"),
    ])
    func virtualHostsArePercentDecoded(text: String, vhost: String) throws {
        #expect(try AMQPURL(text).virtualHost == vhost)
    }

    @Test func ipv6AndTheSSLQueryParameter() throws {
        let url = try AMQPURL("rabbit://u:p@[::1]:5671/?ssl=1")
        #expect(url.hosts == [.init(host: "::1", port: 5671, username: "u", password: "p")])
        #expect(url.tls)
    }

    @Test(arguments: [
        "http://h/", "amqp:/h", "amqp://", "amqp://u:p@h:0/", "amqp://u:p@h:99999/", "amqp://u:p@h:port/",
        "amqp://[::1/", "amqp://h1,,h2/", "amqp://u:p%zz@h/", "amqp://h/%", "rabbit://h/?ssl=maybe",
    ])
    func malformedURLsAreErrors(text: String) {
        #expect(throws: AMQPError.self) { try AMQPURL(text) }
    }

    @Test func passwordsNeverShow() throws {
        let url = try AMQPURL("rabbit://bilean:topsecret@mq1:5672,bilean:topsecret@mq2:5672/")
        #expect(!"\(url)".contains("topsecret"))
        #expect("\(url)" == "amqp://bilean:…@mq1:5672,bilean:…@mq2:5672/")
        #expect {
            try AMQPURL("amqp://bilean:topsecret@mq1:notaport/")
        } throws: { error in
            !"\(error)".contains("topsecret")
        }
    }
}
