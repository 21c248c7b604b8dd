# A small image that runs cairn on a site mounted at /site:
#
#   docker build -t cairn .
#   docker run --rm -v "$PWD:/site" cairn check
#
# The final image holds the static binary alone (no shell, no package
# manager) and runs as the distroless "nonroot" user (65532). Files cairn
# writes into the mounted site (cairn build's public/) are owned by 65532;
# add --user "$(id -u):$(id -g)" to keep your own ownership.
# internal/release's tests check this file's structure (no Docker needed).

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .git is not copied (.dockerignore), so cairn version knows only what is
# passed here: docker build --build-arg VERSION=v1.2.0 --build-arg COMMIT="$(git rev-parse HEAD)" .
ARG VERSION=""
ARG COMMIT=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.buildVersion=${VERSION} -X main.buildCommit=${COMMIT}" -o /out/cairn ./cmd/cairn

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cairn /usr/local/bin/cairn
USER nonroot
WORKDIR /site
ENTRYPOINT ["cairn"]
CMD ["check"]
