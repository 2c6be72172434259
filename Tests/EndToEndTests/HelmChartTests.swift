import DaulatTestSupport
import Foundation
import Testing
import Yams

extension EndToEnd {
    /// The Helm chart, rendered by a real Helm with its default values and with the example alliance of
    /// three jurisdictions: it lints, every manifest validates against Kubernetes' own schemas, what
    /// matters in it is there (the migration hook, the probes, replicas and their disruption budget,
    /// an agent DaemonSet per storage host, a custodian StatefulSet per custodian), the public API is
    /// HTTPS unless plain HTTP is asked for, with the certificate each choice of `controlPlane.tls`
    /// gives, and the ServiceMonitor checks it; no secret is ever rendered, and values its schema
    /// forbids are refused with the value named.
    @Suite("Deployment: the Helm chart", .serialized)
    struct HelmChartTests {
        static let chart = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Helm/daulat")
        static let example = chart.appendingPathComponent("examples/three-jurisdictions.yaml")

        /// A tool scripts/test installs (scripts/lib/chart-tools.sh) and names in the environment.
        static func tool(_ variable: String) throws -> String {
            let path = try #require(
                ProcessInfo.processInfo.environment[variable],
                "\(variable) is not set: run the tests with scripts/test, which installs Helm and kubernetes-validate")
            try #require(FileManager.default.isExecutableFile(atPath: path), "\(variable)=\(path) is not executable")
            return path
        }

        /// `helm` with `arguments`; its status and output.
        static func helm(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await DaulatProcess.run(arguments, program: try tool("DAULAT_HELM"), timeout: 120)
        }

        /// The manifests the chart renders with the values files given (none: its defaults).
        static func render(_ values: [URL] = [], set: [String] = []) async throws -> [[String: Any]] {
            let rendered = try await helm(
                ["template", "daulat", chart.path, "--namespace", "alliance"] + values.flatMap { ["-f", $0.path] }
                    + set.flatMap { ["--set", $0] })
            try #require(rendered.status == 0, "helm template: \(rendered.output)")
            return try Yams.load_all(yaml: rendered.output).compactMap { $0 as? [String: Any] }
        }

        static func resources(_ manifests: [[String: Any]], kind: String) -> [[String: Any]] {
            manifests.filter { $0["kind"] as? String == kind }
        }

        static func name(_ manifest: [String: Any]) -> String {
            (manifest["metadata"] as? [String: Any])?["name"] as? String ?? ""
        }

        /// The pod spec of a workload (Deployment, DaemonSet, StatefulSet, Job).
        static func podSpec(_ manifest: [String: Any]) -> [String: Any] {
            let spec = manifest["spec"] as? [String: Any]
            return (spec?["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
        }

        /// The names of the Secrets a pod spec refers to: volumes, and variables of every container.
        static func secretReferences(_ spec: [String: Any]) -> Set<String> {
            var names = Set<String>()
            for volume in spec["volumes"] as? [[String: Any]] ?? [] {
                if let secret = (volume["secret"] as? [String: Any])?["secretName"] as? String { names.insert(secret) }
                for source in (volume["projected"] as? [String: Any])?["sources"] as? [[String: Any]] ?? [] {
                    if let secret = (source["secret"] as? [String: Any])?["name"] as? String { names.insert(secret) }
                }
            }
            let containers =
                (spec["containers"] as? [[String: Any]] ?? []) + (spec["initContainers"] as? [[String: Any]] ?? [])
            for container in containers {
                for variable in container["env"] as? [[String: Any]] ?? [] {
                    let reference = (variable["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any]
                    if let secret = reference?["name"] as? String { names.insert(secret) }
                }
                for source in container["envFrom"] as? [[String: Any]] ?? [] {
                    if let secret = (source["secretRef"] as? [String: Any])?["name"] as? String { names.insert(secret) }
                }
            }
            return names
        }

        static func containers(_ manifest: [String: Any]) -> [[String: Any]] {
            podSpec(manifest)["containers"] as? [[String: Any]] ?? []
        }

        /// The control plane's server container.
        static func server(_ manifests: [[String: Any]]) throws -> [String: Any] {
            let deployment = try #require(resources(manifests, kind: "Deployment").first)
            return try #require(containers(deployment).first { $0["name"] as? String == "server" })
        }

        /// The value after each occurrence of `option` in `arguments`.
        static func values(of option: String, in arguments: [String]) -> [String] {
            arguments.indices.filter { arguments[$0] == option && $0 + 1 < arguments.count }.map { arguments[$0 + 1] }
        }

        /// The schemes of a container's readiness and liveness probes.
        static func probeSchemes(_ container: [String: Any]) -> [String?] {
            ["readinessProbe", "livenessProbe"].map {
                ((container[$0] as? [String: Any])?["httpGet"] as? [String: Any])?["scheme"] as? String
            }
        }

        /// The literal value of a container's environment variable.
        static func variable(_ name: String, of container: [String: Any]) -> String? {
            (container["env"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["value"] as? String
        }

        /// The mount of the pod's volume that `matches`, in `container`.
        static func mount(
            in manifest: [String: Any], container: [String: Any], where matches: ([String: Any]) -> Bool
        ) -> [String: Any]? {
            let volumes = podSpec(manifest)["volumes"] as? [[String: Any]] ?? []
            guard let volume = volumes.first(where: matches)?["name"] as? String else { return nil }
            return (container["volumeMounts"] as? [[String: Any]])?.first { $0["name"] as? String == volume }
        }

        /// The ServiceMonitor's one endpoint.
        static func monitorEndpoint(_ manifests: [[String: Any]]) -> [String: Any]? {
            let monitor = resources(manifests, kind: "ServiceMonitor").first
            return ((monitor?["spec"] as? [String: Any])?["endpoints"] as? [[String: Any]])?.first
        }

        /// Every agent and custodian container.
        static func daemons(_ manifests: [[String: Any]]) -> [[String: Any]] {
            (resources(manifests, kind: "DaemonSet") + resources(manifests, kind: "StatefulSet")).flatMap(containers)
        }

        @Test(
            "the chart lints and every manifest it renders validates against Kubernetes' schemas, for both values files"
        )
        func validates() async throws {
            let validate = try Self.tool("DAULAT_KUBERNETES_VALIDATE")
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-helm-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            for values in [[], [Self.example]] {
                let lint = try await Self.helm(
                    ["lint", "--strict", Self.chart.path] + values.flatMap { ["-f", $0.path] })
                #expect(lint.status == 0 && lint.output.contains("0 chart(s) failed"), "\(values): \(lint.output)")
                let rendered = try await Self.helm(
                    ["template", "daulat", Self.chart.path, "--namespace", "alliance"]
                        + values.flatMap { ["-f", $0.path] })
                try #require(rendered.status == 0, "\(rendered.output)")
                let file = scratch.appendingPathComponent("rendered-\(values.count).yaml")
                try rendered.output.write(to: file, atomically: true, encoding: .utf8)
                let checked = try await DaulatProcess.run(["--strict", file.path], program: validate, timeout: 120)
                #expect(checked.status == 0, "\(values): \(checked.output)")
                let passed = checked.output.split(separator: "\n").filter { $0.contains(" passed for resource ") }
                // Every manifest of Kubernetes' own kinds is checked; the operators' kinds
                // (CloudNativePG's Cluster, Prometheus's ServiceMonitor) have no schema there.
                let manifests = try Yams.load_all(yaml: rendered.output).compactMap { $0 as? [String: Any] }
                let own = manifests.filter { !["Cluster", "ServiceMonitor"].contains($0["kind"] as? String) }
                #expect(passed.count == own.count && own.count >= 6, "\(values): \(checked.output)")
            }
        }

        @Test(
            "migrations run as a hook before the control plane; 2+ replicas probed on /readyz and /healthz, with a disruption budget"
        )
        func controlPlane() async throws {
            for (values, hook) in [([URL](), "pre-install,pre-upgrade"), ([Self.example], "pre-upgrade")] {
                let manifests = try await Self.render(values)
                let job = try #require(Self.resources(manifests, kind: "Job").first)
                let annotations = (job["metadata"] as? [String: Any])?["annotations"] as? [String: Any] ?? [:]
                // With CloudNativePG the install itself makes the database: on install each replica
                // migrates before it serves, and the job runs before upgrades only.
                #expect(annotations["helm.sh/hook"] as? String == hook, "\(values)")
                #expect(Self.containers(job).first?["args"] as? [String] == ["migrate"])
                let deployment = try #require(Self.resources(manifests, kind: "Deployment").first)
                let initial = Self.podSpec(deployment)["initContainers"] as? [[String: Any]] ?? []
                #expect(initial.map { $0["args"] as? [String] ?? [] } == (values.isEmpty ? [] : [["migrate"]]))

                #expect(((deployment["spec"] as? [String: Any])?["replicas"] as? Int ?? 0) >= 2)
                let server = try #require(Self.containers(deployment).first)
                #expect((server["args"] as? [String])?.first == "server")
                let readiness = (server["readinessProbe"] as? [String: Any])?["httpGet"] as? [String: Any]
                let liveness = (server["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any]
                #expect(readiness?["path"] as? String == "/readyz" && liveness?["path"] as? String == "/healthz")
                #expect((server["resources"] as? [String: Any])?["requests"] != nil)
                let budget = try #require(Self.resources(manifests, kind: "PodDisruptionBudget").first)
                #expect(((budget["spec"] as? [String: Any])?["minAvailable"] as? Int ?? 0) >= 1)
                let services = Set(Self.resources(manifests, kind: "Service").map(Self.name))
                #expect(services.isSuperset(of: ["daulat-api", "daulat-agents"]), "\(services)")
            }
        }

        @Test(
            "an agent per storage host on its own node, reading its own join token only; a custodian StatefulSet per custodian with its volume"
        )
        func agentsAndCustodians() async throws {
            let manifests = try await Self.render([Self.example])
            let daemonSets = Self.resources(manifests, kind: "DaemonSet")
            let hosts = ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a", "my-jhb-1-a"]
            #expect(Set(daemonSets.map(Self.name)) == Set(hosts.map { "daulat-agent-\($0)" }))
            var secretsSeen: [String: String] = [:]
            var nodesSeen = Set<String>()
            for daemonSet in daemonSets {
                let name = Self.name(daemonSet)
                let host = String(name.dropFirst("daulat-agent-".count))
                // The node's directory is made the agent's before the agent enrols.
                let initial = Self.podSpec(daemonSet)["initContainers"] as? [[String: Any]] ?? []
                #expect(
                    (initial.first?["command"] as? [String])?.last?.hasPrefix("chown 10001:10001 /var/lib/daulat-agent")
                        == true, "\(name)")
                let selector = Self.podSpec(daemonSet)["nodeSelector"] as? [String: Any] ?? [:]
                #expect(selector["daulat.io/storage-host"] as? String == "true")
                #expect(host.hasPrefix(selector["daulat.io/site"] as? String ?? "?"))
                // On its one node, which no other agent shares.
                let node = try #require(selector["kubernetes.io/hostname"] as? String, "\(name) is pinned to its node")
                #expect(nodesSeen.insert(node).inserted, "\(node) runs one agent")
                // Every Secret the pod refers to, by volume or by variable: its own host's token, and no other.
                let secrets = Self.secretReferences(Self.podSpec(daemonSet))
                #expect(secrets == ["daulat-agent-\(host)"], "\(name) refers to \(secrets)")
                for secret in secrets {
                    #expect(secretsSeen.updateValue(name, forKey: secret) == nil, "\(secret) is readable by two pods")
                }
            }
            let statefulSets = Self.resources(manifests, kind: "StatefulSet")
            #expect(
                Set(statefulSets.map(Self.name))
                    == [
                        "daulat-custodian-id-custodian-1", "daulat-custodian-sg-custodian-1",
                        "daulat-custodian-my-custodian-1",
                    ])
            for statefulSet in statefulSets {
                let claims = (statefulSet["spec"] as? [String: Any])?["volumeClaimTemplates"] as? [[String: Any]]
                #expect(claims?.count == 1, "\(Self.name(statefulSet)) keeps its keystore on a volume of its own")
            }
            // Volumes keep the daemons' file modes: ownership is changed once, not on every mount.
            for workload in daemonSets + statefulSets + Self.resources(manifests, kind: "Deployment") {
                let context = Self.podSpec(workload)["securityContext"] as? [String: Any]
                #expect(context?["fsGroupChangePolicy"] as? String == "OnRootMismatch", "\(Self.name(workload))")
                #expect(context?["runAsUser"] as? Int == 10001, "\(Self.name(workload))")
            }
            #expect(Self.resources(manifests, kind: "Cluster").count == 1)
            // Prometheus presents the metrics token; the control plane is given the same one.
            let monitors = Self.resources(manifests, kind: "ServiceMonitor")
            #expect(monitors.count == 1)
            let endpoint = ((monitors.first?["spec"] as? [String: Any])?["endpoints"] as? [[String: Any]])?.first
            let credentials = (endpoint?["authorization"] as? [String: Any])?["credentials"] as? [String: Any]
            #expect(credentials?["name"] as? String == "daulat-metrics-token", "\(endpoint ?? [:])")
            let controlPlane = try #require(Self.resources(manifests, kind: "Deployment").first)
            let environment =
                (Self.podSpec(controlPlane)["containers"] as? [[String: Any]])?.first?["env"] as? [[String: Any]]
            let metricsToken = environment?.first { $0["name"] as? String == "DAULAT_METRICS_TOKEN" }
            #expect(
                ((metricsToken?["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any])?["name"] as? String
                    == "daulat-metrics-token")
            #expect(Self.resources(manifests, kind: "NetworkPolicy").count == 2)
        }

        @Test(
            "every option the chart gives a daemon, with each choice of TLS, is one it takes, and every variable is documented"
        )
        func matchesTheBinary() async throws {
            var manifests = try await Self.render([Self.example])
            manifests += try await Self.render(
                [Self.example],
                set: ["controlPlane.tls.existingSecret=daulat-api-tls", "controlPlane.tls.caConfigMap=alliance-ca"])
            manifests += try await Self.render([Self.example], set: ["controlPlane.tls.insecureHTTP=true"])
            let documentation = try String(
                contentsOf: Self.chart.deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("docs/configuration.md"), encoding: .utf8)
            var checked = Set<String>()
            for manifest in manifests {
                let spec = Self.podSpec(manifest)
                for container in (spec["initContainers"] as? [[String: Any]] ?? []) + Self.containers(manifest) {
                    // The command is the first argument, or follows the binary in a shell script.
                    let words = ((container["args"] as? [String]) ?? []).joined(separator: " ")
                        .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }).map(String.init)
                    let command: String?
                    if let index = words.firstIndex(of: "/opt/daulat/daulat") {
                        command = words[index + 1]
                    } else {
                        command = words.first.flatMap {
                            ["server", "agent", "custodian", "migrate"].contains($0) ? $0 : nil
                        }
                    }
                    if let command {
                        let help = try await DaulatProcess.run([command, "--help"])
                        for option in words where option.hasPrefix("--") {
                            #expect(help.output.contains(option + " "), "daulat \(command) takes no \(option)")
                            checked.insert(option)
                        }
                    }
                    for variable in container["env"] as? [[String: Any]] ?? [] {
                        guard let name = variable["name"] as? String, name.hasPrefix("DAULAT_") else { continue }
                        #expect(documentation.contains("`\(name)`"), "\(name) is not in docs/configuration.md")
                    }
                }
            }
            #expect(
                checked.isSuperset(of: [
                    "--config", "--agent-name", "--jurisdiction", "--advertise-host", "--port", "--ca-cert-file",
                    "--tls-name", "--tls-cert-file", "--tls-key-file", "--insecure-http",
                ]))
        }

        @Test(
            "by default the API is HTTPS, its certificate from the control plane's CA for the Service's names: probes, agents, custodians and the notes use https"
        )
        func httpsByDefault() async throws {
            for values in [[], [Self.example]] {
                let rendered = try await Self.helm(
                    ["template", "daulat", Self.chart.path, "--namespace", "alliance"]
                        + values.flatMap { ["-f", $0.path] })
                try #require(rendered.status == 0, "helm template: \(rendered.output)")
                #expect(!rendered.output.contains("http://"), "\(values): a plain-HTTP URL is rendered")
                let manifests = try Yams.load_all(yaml: rendered.output).compactMap { $0 as? [String: Any] }
                let server = try Self.server(manifests)
                let arguments = server["args"] as? [String] ?? []
                #expect(!arguments.contains("--insecure-http"), "\(arguments)")
                #expect(Self.values(of: "--tls-cert-file", in: arguments).isEmpty, "\(arguments)")
                let names = Set(Self.values(of: "--tls-name", in: arguments))
                #expect(
                    names.isSuperset(of: [
                        "daulat-api", "daulat-api.alliance", "daulat-api.alliance.svc",
                        "daulat-api.alliance.svc.cluster.local",
                    ]), "\(arguments)")
                // The CA's certificate is written at every start, to a volume: the root filesystem is read-only.
                #expect(Self.values(of: "--ca-cert-file", in: arguments) == ["/var/run/daulat/ca.pem"])
                let run = (server["volumeMounts"] as? [[String: Any]])?.first { $0["name"] as? String == "run" }
                #expect(run?["mountPath"] as? String == "/var/run/daulat" && run?["readOnly"] == nil)
                #expect(Self.probeSchemes(server) == ["HTTPS", "HTTPS"])
                let api = try #require(
                    Self.resources(manifests, kind: "Service").first { Self.name($0) == "daulat-api" })
                let port = ((api["spec"] as? [String: Any])?["ports"] as? [[String: Any]])?.first
                #expect(port?["appProtocol"] as? String == "https")
                // Agents and custodians dial the API over HTTPS, trusting the CA their join tokens pin.
                let daemons = Self.daemons(manifests)
                #expect(daemons.count == (values.isEmpty ? 0 : 9))
                for daemon in daemons {
                    #expect(Self.variable("DAULAT_SERVER_URL", of: daemon) == "https://daulat-api:8080")
                    #expect(Self.variable("DAULAT_CA_CERT", of: daemon) == nil)
                    #expect(!(daemon["args"] as? [String] ?? []).contains("--insecure-http"))
                }
                // The NetworkPolicies let agents and custodians reach the API's port on the control plane.
                let ports = server["ports"] as? [[String: Any]] ?? []
                let apiPort = ports.first { $0["name"] as? String == "api" }?["containerPort"] as? Int
                for policy in Self.resources(manifests, kind: "NetworkPolicy") {
                    let egress = (policy["spec"] as? [String: Any])?["egress"] as? [[String: Any]] ?? []
                    let toControlPlane = egress.first {
                        (($0["to"] as? [[String: Any]])?.first?["podSelector"] as? [String: Any]).map {
                            ($0["matchLabels"] as? [String: Any])?["app.kubernetes.io/component"] as? String
                                == "control-plane"
                        } ?? false
                    }
                    let allowed = (toControlPlane?["ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int }
                    #expect(apiPort != nil && allowed.contains(apiPort ?? 0), "\(Self.name(policy)): \(allowed)")
                }
                // What the notes tell the operator to run.
                let installed = try await Self.helm(
                    ["install", "daulat", Self.chart.path, "--namespace", "alliance", "--dry-run=client"]
                        + values.flatMap { ["-f", $0.path] })
                try #require(installed.status == 0, "helm install --dry-run: \(installed.output)")
                let notes = try #require(installed.output.components(separatedBy: "NOTES:").last)
                #expect(notes.contains("DAULAT_ADDR=https://127.0.0.1:8080") && !notes.contains("http://"), "\(notes)")
            }
        }

        @Test(
            "with controlPlane.tls.existingSecret the API presents that Secret's certificate, mounted read-only; a private CA reaches agents and custodians"
        )
        func tlsFromSecret() async throws {
            let manifests = try await Self.render(
                [Self.example],
                set: ["controlPlane.tls.existingSecret=daulat-api-tls", "controlPlane.tls.caConfigMap=alliance-ca"])
            let deployment = try #require(Self.resources(manifests, kind: "Deployment").first)
            let server = try Self.server(manifests)
            let mount = try #require(
                Self.mount(in: deployment, container: server) {
                    ($0["secret"] as? [String: Any])?["secretName"] as? String == "daulat-api-tls"
                }, "the TLS Secret is mounted")
            #expect(mount["readOnly"] as? Bool == true)
            let directory = try #require(mount["mountPath"] as? String)
            let arguments = server["args"] as? [String] ?? []
            #expect(Self.values(of: "--tls-cert-file", in: arguments) == ["\(directory)/tls.crt"], "\(arguments)")
            #expect(Self.values(of: "--tls-key-file", in: arguments) == ["\(directory)/tls.key"], "\(arguments)")
            // The server refuses names for a certificate it does not issue, and plain HTTP with one.
            #expect(!arguments.contains("--tls-name") && !arguments.contains("--insecure-http"), "\(arguments)")
            #expect(Self.probeSchemes(server) == ["HTTPS", "HTTPS"])
            // The certificate's key is the control plane's alone.
            let workloads =
                Self.resources(manifests, kind: "DaemonSet") + Self.resources(manifests, kind: "StatefulSet")
            for workload in workloads {
                #expect(
                    !Self.secretReferences(Self.podSpec(workload)).contains("daulat-api-tls"), "\(Self.name(workload))")
                let daemon = try #require(Self.containers(workload).first)
                #expect(Self.variable("DAULAT_SERVER_URL", of: daemon) == "https://daulat-api:8080")
                let ca = try #require(
                    Self.mount(in: workload, container: daemon) {
                        ($0["configMap"] as? [String: Any])?["name"] as? String == "alliance-ca"
                    }, "\(Self.name(workload)) mounts the private CA")
                #expect(ca["readOnly"] as? Bool == true)
                let path = try #require(ca["mountPath"] as? String)
                #expect(Self.variable("DAULAT_CA_CERT", of: daemon) == "\(path)/ca.crt", "\(Self.name(workload))")
            }
            #expect(Self.daemons(manifests).count == 9)
        }

        @Test(
            "with controlPlane.tls.insecureHTTP the API is plain HTTP for a TLS-terminating proxy, and everything follows; never with a certificate"
        )
        func plainHTTPBehindProxy() async throws {
            let manifests = try await Self.render([Self.example], set: ["controlPlane.tls.insecureHTTP=true"])
            let server = try Self.server(manifests)
            let arguments = server["args"] as? [String] ?? []
            #expect(arguments.contains("--insecure-http"), "\(arguments)")
            for option in ["--tls-name", "--tls-cert-file", "--tls-key-file"] {
                #expect(!arguments.contains(option), "\(arguments)")
            }
            #expect(Self.probeSchemes(server) == ["HTTP", "HTTP"])
            for daemon in Self.daemons(manifests) {
                #expect(Self.variable("DAULAT_SERVER_URL", of: daemon) == "http://daulat-api:8080")
                // They enrol over plain HTTP only because they are told to.
                #expect((daemon["args"] as? [String] ?? []).contains("--insecure-http"), "\(daemon)")
            }
            let endpoint = try #require(Self.monitorEndpoint(manifests))
            #expect(endpoint["scheme"] as? String == "http" && endpoint["tlsConfig"] == nil, "\(endpoint)")
            let refused = try await Self.helm(
                [
                    "template", "daulat", Self.chart.path, "--set",
                    "controlPlane.tls.insecureHTTP=true,controlPlane.tls.existingSecret=daulat-api-tls",
                ])
            #expect(
                refused.status != 0 && refused.output.contains("controlPlane.tls.existingSecret"), "\(refused.output)")
        }

        @Test(
            "the ServiceMonitor scrapes over HTTPS, checking the certificate for the Service's name against a CA; without one it is refused unless told to skip the check"
        )
        func serviceMonitorChecksTheCertificate() async throws {
            let endpoint = try #require(Self.monitorEndpoint(try await Self.render([Self.example])))
            #expect(endpoint["scheme"] as? String == "https")
            let tls = try #require(endpoint["tlsConfig"] as? [String: Any], "\(endpoint)")
            #expect(tls["serverName"] as? String == "daulat-api.alliance.svc")
            let ca = (tls["ca"] as? [String: Any])?["configMap"] as? [String: Any]
            #expect(ca?["name"] as? String == "daulat-api-ca" && ca?["key"] as? String == "ca.crt", "\(tls)")
            #expect(tls["insecureSkipVerify"] == nil)

            // Neither a CA nor an explicit skip: refused, naming what to set.
            let refused = try await Self.helm(
                [
                    "template", "daulat", Self.chart.path, "-f", Self.example.path, "--set",
                    "metrics.tlsCAConfigMap.name=",
                ])
            #expect(refused.status != 0, "a ServiceMonitor with no CA was rendered")
            #expect(
                refused.output.contains("metrics.tlsCAConfigMap")
                    && refused.output.contains("metrics.insecureSkipVerify"),
                "\(refused.output)")
            #expect(!refused.output.contains("kind: ServiceMonitor"))

            // Skipping the check only when asked for.
            let skipping = try #require(
                Self.monitorEndpoint(
                    try await Self.render(
                        [Self.example], set: ["metrics.tlsCAConfigMap.name=", "metrics.insecureSkipVerify=true"])))
            let skipped = try #require(skipping["tlsConfig"] as? [String: Any])
            #expect(skipped["insecureSkipVerify"] as? Bool == true && skipped["ca"] == nil, "\(skipped)")
            #expect(skipping["scheme"] as? String == "https")

            // Both: refused, rather than one silently winning.
            let both = try await Self.helm(
                [
                    "template", "daulat", Self.chart.path, "-f", Self.example.path, "--set",
                    "metrics.insecureSkipVerify=true",
                ])
            #expect(both.status != 0 && both.output.contains("insecureSkipVerify"), "\(both.output)")
        }

        @Test("no secret is rendered: secrets come from Secrets by reference, and no ConfigMap holds one")
        func noSecrets() async throws {
            let secretVariables = ["DAULAT_DATABASE_URL", "DAULAT_CA_KEY", "DAULAT_KEYSTORE_KEY", "DAULAT_JOIN_TOKEN"]
            for values in [[], [Self.example]] {
                let manifests = try await Self.render(values)
                #expect(Self.resources(manifests, kind: "Secret").isEmpty)
                var referenced = Set<String>()
                for manifest in manifests {
                    for container in Self.containers(manifest) {
                        for variable in container["env"] as? [[String: Any]] ?? [] {
                            guard let name = variable["name"] as? String, secretVariables.contains(name) else {
                                continue
                            }
                            referenced.insert(name)
                            #expect(variable["value"] == nil, "\(Self.name(manifest)): \(name) given as a value")
                            let from = variable["valueFrom"] as? [String: Any]
                            #expect(from?["secretKeyRef"] != nil, "\(Self.name(manifest)): \(name) not from a Secret")
                        }
                    }
                }
                #expect(referenced.isSuperset(of: ["DAULAT_DATABASE_URL", "DAULAT_CA_KEY"]))
                for configMap in Self.resources(manifests, kind: "ConfigMap") {
                    let data = (configMap["data"] as? [String: Any] ?? [:]).values.compactMap { $0 as? String }
                    let text = data.joined(separator: "\n")
                    for secret in ["database", "url:", "key:", "token", "postgres://", "password"] {
                        #expect(!text.contains(secret), "\(Self.name(configMap)) holds '\(secret)': \(text)")
                    }
                }
            }
        }

        @Test("the Grafana dashboard queries only metrics the control plane exports, and ships in the chart")
        func dashboard() async throws {
            let file = Self.chart.appendingPathComponent("dashboards/daulat.json")
            let dashboard = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let expressions = (dashboard["panels"] as? [[String: Any]] ?? []).flatMap {
                ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
            }
            #expect(expressions.count >= 10)
            // Daulat's own metrics are named where they are made; hb_* and http_server_* are
            // Hummingbird's request metrics, by route.
            let sources = Self.chart.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources")
            var defined = Set(["hb_requests", "hb_request_errors", "http_server_request_duration"])
            let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                let text = try String(contentsOf: url, encoding: .utf8)
                for match in text.matches(of: /label: "(daulat_[a-z_]+)"/) { defined.insert(String(match.1)) }
            }
            var used = Set<String>()
            for expression in expressions {
                for match in expression.matches(of: /\b((?:daulat|hb|http_server)_[a-z_]+)/) {
                    used.insert(String(match.1).replacing(/_(bucket|count|sum)$/, with: ""))
                }
            }
            #expect(!used.isEmpty && used.isSubset(of: defined), "not exported: \(used.subtracting(defined))")
            for name in ["http_server_request_duration", "daulat_key_unwraps_total", "daulat_copied_bytes_total"] {
                #expect(used.contains(name), "the dashboard shows \(name)")
            }
            let manifests = try await Self.render([Self.example])
            let shipped = Self.resources(manifests, kind: "ConfigMap").first {
                Self.name($0).hasSuffix("grafana-dashboard")
            }
            let json = try #require((shipped?["data"] as? [String: Any])?["daulat.json"] as? String)
            #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] != nil)
        }

        @Test("values the schema forbids are refused at install, naming the value")
        func refusesBadValues() async throws {
            for (setting, named) in [
                ("controlPlane.replicas=1", "/controlPlane/replicas"),
                ("database.mode=sqlite", "/database/mode"),
                ("custodians[0].id=ID-1", "/custodians/0"),
                ("agents.sites[0].id=id-jkt-1", "/agents/sites/0"),
                ("agents.sites[0].id=x,agents.sites[0].jurisdiction=Indonesia", "/agents/sites/0/jurisdiction"),
                ("controlPlane.replica=3", "replica"),
                ("controlPlane.podDisruptionBudget.minAvailable=2", "minAvailable must be less than"),
                ("serviceMonitor.enabled=true", "metrics.existingSecret"),
                ("controlPlane.tls.insecureHTTP=yes", "/controlPlane/tls/insecureHTTP"),
                ("controlPlane.tls.existingSecret=Daulat_TLS", "/controlPlane/tls/existingSecret"),
                ("controlPlane.tls.extraNames[0]=https://daulat.example", "/controlPlane/tls/extraNames/0"),
            ] {
                let refused = try await Self.helm(
                    ["template", "daulat", Self.chart.path, "--set", setting])
                #expect(refused.status != 0, "\(setting) was accepted")
                #expect(refused.output.contains(named), "\(setting): \(refused.output)")
            }
            // A whole values file, as an operator would hand it over, with a secret pasted in where a
            // Secret's name belongs and a custodian's jurisdiction misspelt.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-bad-values-\(UUID()).yaml")
            defer { try? FileManager.default.removeItem(at: file) }
            try """
            caKey:
              existingSecret: daulat-ca-key
              key: ca-key
              value: c2VjcmV0
            custodians:
              - { id: id-custodian-1, jurisdiction: Id, joinTokenSecret: a, keystoreKeySecret: b }
            """.write(to: file, atomically: true, encoding: .utf8)
            let refused = try await Self.helm(["template", "daulat", Self.chart.path, "-f", file.path])
            #expect(refused.status != 0)
            #expect(refused.output.contains("/caKey") && refused.output.contains("value"), "\(refused.output)")
            #expect(refused.output.contains("/custodians/0/jurisdiction"), "\(refused.output)")
        }
    }
}
