# Daulat's image: the release built by scripts/release (the same script the test suite runs), on
# Debian 12 slim. One image for every role: `daulat server`, `daulat agent`, `daulat custodian`.
#
#   docker build -t daulat .
#   docker run --rm daulat --help

FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN scripts/release

FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libstdc++6 zlib1g tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/daulat --create-home daulat
COPY --from=build /src/dist/daulat/ /opt/daulat/
ENV PATH=/opt/daulat:$PATH
USER daulat
WORKDIR /var/lib/daulat
ENTRYPOINT ["/opt/daulat/daulat"]
CMD ["--help"]
