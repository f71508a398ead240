using Bot.Channels.Teams;
using Bot.Testing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Channels.Teams.Tests;

/// <summary>Inbound Bot Framework tokens, checked against keys from a loopback OpenID metadata server.</summary>
public sealed class BotFrameworkTokenValidatorTests : IAsyncLifetime
{
    private const string AppId = "6f1c0d2e-1111-4000-8000-00000000b07";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private FakeBotFrameworkIdentity _identity = null!;
    private FakeBotFrameworkIdentity _entra = null!;
    private const string BotFrameworkEntraIssuer = "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0";
    private BotFrameworkTokenValidator _validator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _identity = await FakeBotFrameworkIdentity.StartAsync();
        _entra = await FakeBotFrameworkIdentity.StartAsync();
        _http = new HttpClient();
        _validator = Validator(tenant: null);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _identity.DisposeAsync();
        await _entra.DisposeAsync();
    }

    private BotFrameworkTokenValidator Validator(string? tenant) => new(Options.Create(new TeamsOptions
    {
        AppId = AppId, AppPassword = "secret", TenantId = tenant, OpenIdMetadataUrl = _identity.MetadataUrl, EntraOpenIdMetadataUrl = _entra.MetadataUrl,
    }), _http);

    [Fact]
    public async Task EntraIssuedToken_OfTheBotFrameworksTenant_IsCheckedAgainstEntrasKeys()
    {
        var check = await CheckAsync(_entra.Mint(AppId, ServiceUrl, issuer: BotFrameworkEntraIssuer));
        Assert.True(check.Valid, check.Reason);
        // The issuer picks the keys: an Entra issuer with a Bot Framework key, or the reverse, is not valid.
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, issuer: BotFrameworkEntraIssuer))).Valid);
        Assert.False((await CheckAsync(_entra.Mint(AppId, ServiceUrl))).Valid);
        Assert.False((await CheckAsync(_entra.Mint("another-bot", ServiceUrl, issuer: BotFrameworkEntraIssuer))).Valid);
        Assert.False((await CheckAsync(_entra.Mint(AppId, "https://smba.trafficmanager.net/amer/", issuer: BotFrameworkEntraIssuer))).Valid);
        // Without a serviceurl claim a token could be replayed for any service URL.
        Assert.False((await CheckAsync(_entra.Mint(AppId, null, issuer: BotFrameworkEntraIssuer))).Valid);
        Assert.False((await CheckAsync(_identity.Mint(AppId, null))).Valid);
    }

    [Theory]
    [InlineData("webchat")]
    [InlineData("directline")]
    [InlineData(null)]
    public async Task AnActivityOfAnotherChannel_OrOfNone_IsRejected_EvenWithAKeyEndorsedForIt(string? channelId)
    {
        var check = await _validator.ValidateAsync("Bearer " + _identity.Mint(AppId, ServiceUrl, key: _identity.UnendorsedKey), channelId, ServiceUrl, CancellationToken.None);
        Assert.False(check.Valid);
    }

    [Fact]
    public async Task EntraIssuer_OfTheBotsOwnTenant_IsNotAccepted_AnyAppThereCouldMintIt()
    {
        const string tenant = "0f6e1f8e-4c1a-4b6e-9d1a-8c2f3e4d5a6b";
        var token = _entra.Mint(AppId, ServiceUrl, issuer: $"https://sts.windows.net/{tenant}/");
        Assert.False((await CheckAsync(token)).Valid);
        Assert.False((await Validator(tenant).ValidateAsync("Bearer " + token, "msteams", ServiceUrl, CancellationToken.None)).Valid);
    }

    private Task<TokenCheck> CheckAsync(string? token, string channelId = "msteams", string serviceUrl = ServiceUrl) =>
        _validator.ValidateAsync(token is null ? null : "Bearer " + token, channelId, serviceUrl, CancellationToken.None);

    [Fact]
    public async Task ValidToken_IsAccepted()
    {
        var check = await CheckAsync(_identity.Mint(AppId, ServiceUrl));
        Assert.True(check.Valid, check.Reason);
    }

    [Fact]
    public async Task Keys_AreFetchedOnce_NotPerRequest()
    {
        for (var i = 0; i < 20; i++) Assert.True((await CheckAsync(_identity.Mint(AppId, ServiceUrl))).Valid);
        Assert.Equal(1, _identity.KeyFetches);
    }

    [Fact]
    public async Task AnAcceptedToken_IsRemembered_ButStillBoundToItsServiceUrlAndChannel()
    {
        var token = _identity.Mint(AppId, ServiceUrl);
        Assert.True((await CheckAsync(token)).Valid);
        Assert.True((await CheckAsync(token)).Valid);
        // Reuse elsewhere is refused, remembered or not.
        Assert.False((await CheckAsync(token, serviceUrl: "https://smba.trafficmanager.net/amer/")).Valid);
        Assert.False((await CheckAsync(token, channelId: "webchat")).Valid);
    }

    [Fact]
    public async Task WrongAudience_IsRejected() => Assert.False((await CheckAsync(_identity.Mint("someone-else", ServiceUrl))).Valid);

    [Fact]
    public async Task WrongIssuer_IsRejected() =>
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, issuer: "https://evil.example.com"))).Valid);

    [Fact]
    public async Task Expired_BeyondFiveMinutesOfSkew_IsRejected()
    {
        var now = DateTime.UtcNow;
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-6)))).Valid);
        Assert.True((await CheckAsync(_identity.Mint(AppId, ServiceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-4)))).Valid);
    }

    [Fact]
    public async Task NotYetValid_IsRejected()
    {
        var now = DateTime.UtcNow;
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, notBefore: now.AddMinutes(10), expires: now.AddHours(1)))).Valid);
    }

    [Fact]
    public async Task UnknownKid_IsRejected() =>
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, key: FakeBotFrameworkIdentity.NewKey("stranger")))).Valid);

    [Fact]
    public async Task RotatedKey_IsFetchedOnItsFirstUse()
    {
        Assert.True((await CheckAsync(_identity.Mint(AppId, ServiceUrl))).Valid);
        var next = FakeBotFrameworkIdentity.NewKey("next-key");
        _identity.Rotate((next, ["msteams"]));
        var check = await CheckAsync(_identity.Mint(AppId, ServiceUrl, key: next));
        Assert.True(check.Valid, check.Reason);
        Assert.Equal(2, _identity.KeyFetches);

        // Another unknown kid right after does not fetch again.
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, key: FakeBotFrameworkIdentity.NewKey("forged")))).Valid);
        Assert.Equal(2, _identity.KeyFetches);
    }

    [Fact]
    public async Task Unsigned_AlgNone_IsRejected() => Assert.False((await CheckAsync(FakeBotFrameworkIdentity.Unsigned(AppId, ServiceUrl))).Valid);

    [Fact]
    public async Task KeyWithoutTheChannelsEndorsement_IsRejected()
    {
        var check = await CheckAsync(_identity.Mint(AppId, ServiceUrl, key: _identity.UnendorsedKey));
        Assert.False(check.Valid);
        Assert.Equal("key not endorsed for channel", check.Reason);
    }

    [Fact]
    public async Task ServiceUrlClaimNotMatchingTheActivity_IsRejected()
    {
        var check = await CheckAsync(_identity.Mint(AppId, ServiceUrl), serviceUrl: "https://attacker.example.com/");
        Assert.False(check.Valid);
        Assert.Equal("serviceurl mismatch", check.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("Bearer not-a-jwt")]
    public async Task MissingOrMalformedHeader_IsRejected(string? header) =>
        Assert.False((await _validator.ValidateAsync(header, "msteams", ServiceUrl, CancellationToken.None)).Valid);

    [Fact]
    public async Task WeakAlgorithm_IsRejected() =>
        Assert.False((await CheckAsync(_identity.Mint(AppId, ServiceUrl, key: new SymmetricSecurityKey(new byte[32]) { KeyId = "teams-key" }, algorithm: SecurityAlgorithms.HmacSha256))).Valid);
}
