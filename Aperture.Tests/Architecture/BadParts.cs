// A tiny deliberately bad application for ArchitectureRuleTests: each type breaks one rule of PartGraph, so each
// rule is shown to fail on what it is meant to catch. Nothing else uses these types.
namespace Aperture.Tests.Architecture.BadParts.Web
{
    public sealed record Paging(int Page, int PageSize);

    public static class ImageEndpoint
    {
        public static string Url(long titleId) => $"/images/{titleId}/primary";
    }
}

namespace Aperture.Tests.Architecture.BadParts.Data
{
    // Data knows a feature's type.
    public sealed class AppDbContext
    {
        public Catalog.Title? Newest { get; set; }
    }
}

namespace Aperture.Tests.Architecture.BadParts.MediaServers
{
    // The media-server client reaches into the database.
    public sealed class MediaServerClient
    {
        public Data.AppDbContext? Db { get; set; }
    }
}

namespace Aperture.Tests.Architecture.BadParts.Jobs
{
    public static class JobRegistration
    {
        public static string AddJob(string name) => name;
    }
}

namespace Aperture.Tests.Architecture.BadParts.Catalog
{
    public sealed class Title
    {
        public string Name { get; set; } = "";
    }

    // A feature that pages an HTTP query.
    public sealed class UsesWebPaging
    {
        public int Skip(Web.Paging paging) => (paging.Page - 1) * paging.PageSize;
    }

    // A feature that links a poster through the web layer's helper.
    public static class LinksThroughImageEndpoint
    {
        public static string Poster(long titleId) => Web.ImageEndpoint.Url(titleId);
    }

    // A feature that writes the image route by hand, in an interpolated string inside a lambda.
    public static class WritesImageLinks
    {
        public static IEnumerable<string> Posters(IEnumerable<long> ids) => ids.Select(id => $"/images/{id}/primary?v=1");
    }

    // A feature that holds the request.
    public static class UsesHttpContext
    {
        public static string Path(Microsoft.AspNetCore.Http.HttpContext http) => http.Request.Path;
    }

    // A feature that schedules itself, through Quartz and through Jobs' registration API.
    public static class SchedulesItself
    {
        public static ValueTask ClearAsync(Quartz.IScheduler scheduler) => scheduler.Clear();

        public static string Register() => Jobs.JobRegistration.AddJob("sync-movies");
    }
}

namespace Aperture.Tests.Architecture.BadParts.Embeddings
{
    // Embeddings and VectorSearch in a circle.
    public sealed class EmbeddingService
    {
        public VectorSearch.VectorIndex? Index { get; set; }
    }
}

namespace Aperture.Tests.Architecture.BadParts.VectorSearch
{
    public sealed class VectorIndex
    {
        public Embeddings.EmbeddingService? Owner { get; set; }
    }
}
