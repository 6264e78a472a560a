# Aperture: build with the .NET SDK, run on the ASP.NET runtime as a non-root user.
# Does exactly what the README's run command does: publish Aperture/ and start it with
# SQLite and its keys under APERTURE_DATA_DIR (/data here).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Aperture/Aperture.csproj Aperture/Runtime.props Aperture/
RUN dotnet restore Aperture/Aperture.csproj
COPY Aperture/ Aperture/
RUN dotnet publish Aperture/Aperture.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the health check below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The aspnet image ships a non-root "app" user (uid 1654); /data holds the database and keys,
# /strm is the default output root the media server also mounts.
RUN mkdir -p /data /strm && chown app:app /data /strm
ENV APERTURE_DATA_DIR=/data \
    PORT=3456 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER app
VOLUME ["/data"]
EXPOSE 3456
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["dotnet", "Aperture.dll"]
