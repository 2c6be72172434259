import Metrics
import Prometheus

/// Routes every metric of this process (requests, placement passes) to the registry that `/metrics`
/// serves. A process has one metrics system, so each daemon command calls this once, at start.
enum PrometheusMetrics {
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
