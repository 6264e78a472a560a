using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aperture.Data;

// One title of the current global Top Picks of a kind (top_picks), with the figures that ranked it. A refresh replaces a
// kind's rows in one transaction, so readers see the previous list or the new one, never a mix.
public sealed class TopPick
{
    public long Id { get; set; }
    public MediaKind Kind { get; set; }
    public int Rank { get; set; }
    public long TitleId { get; set; }
    public Title Title { get; set; } = null!;
    // Distinct users who played it in the window; their plays (episode plays for a series); average completion 0..1
    // (series: average share of episodes watched); the weighted score 0..1.
    public int Viewers { get; set; }
    public int Plays { get; set; }
    public double Completion { get; set; }
    public double Score { get; set; }
    public int WindowDays { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

internal sealed class TopPickConfiguration : IEntityTypeConfiguration<TopPick>
{
    public void Configure(EntityTypeBuilder<TopPick> builder)
    {
        builder.ToTable("top_picks");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.Kind, p.Rank });
        builder.HasIndex(p => p.TitleId);
        builder.HasOne(p => p.Title).WithMany().HasForeignKey(p => p.TitleId).OnDelete(DeleteBehavior.Cascade);
    }
}
