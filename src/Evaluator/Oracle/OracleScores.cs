using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The oracle's scores for one edited image. <see cref="Realism"/> is the SSIM between the output and the
/// re-render of what the oracle read from it (<see cref="Parsed"/>; null with every oracle measure 0 when the reader could not read the image): near 1 when the image is a clean ShapesWorld picture, lower when it
/// holds things no scene explains (blur, smears, half-objects). PSNR and SSIM compare with the true target render.
/// </summary>
public sealed record OracleScores(double EditSuccess, double EditFacts, double Preservation, double Realism, double Psnr, double Ssim, Scene? Parsed, EditJudgement? Judgement)
{
    /// <summary>The scores by the names reports and result rows use.</summary>
    public IReadOnlyDictionary<string, double> Named => new Dictionary<string, double>
    {
        ["edit_success"] = EditSuccess,
        ["edit_facts"] = EditFacts,
        ["preservation"] = Preservation,
        ["realism"] = Realism,
        ["psnr"] = Psnr,
        ["ssim"] = Ssim,
    };
}
