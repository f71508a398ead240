using Bot.Core.Features.Digests;
using Bot.Core.Features.Escalation;
using Bot.Core.Features.Incidents;
using Bot.Core.Features.Reviews;
using Bot.Core.Storage;

namespace Bot.Testing;

/// <summary>
/// Eight weeks of Payments history before <c>now</c> (incidents recovering faster week by week, escalations acknowledged
/// sooner, deployments, reviews naming "tooling" three times, a shared check-in), so a digest has trends to show.
/// </summary>
public static class DemoHistory
{
    public static async Task SeedAsync(BotDbContext db, DateTimeOffset now)
    {
        int[] incidents = [3, 2, 4, 3, 2, 3, 1];
        int[] recovery = [140, 125, 130, 95, 85, 70, 55];
        int[] escalations = [4, 5, 3, 6, 4, 5, 6];
        int[] acknowledge = [14, 12, 12, 9, 8, 6, 5];
        string[] people = ["sam", "bea", "kim", "ana"];
        for (var week = 0; week < 7; week++)
        {
            // Week 0 is seven weeks ago; each at a working hour of its Tuesday to Thursday.
            var monday = now.AddDays(-7 * (7 - week)).Date;
            for (var d = 0; d < 10; d++)
                db.Deployments.Add(new Deployment
                {
                    Id = $"demo-{week}-{d}", Service = "checkout", ServiceKey = d % 2 == 0 ? "checkout" : "payments-api", Version = $"2.{week}.{d}",
                    DeployedAt = new DateTimeOffset(monday.AddDays(d % 5).AddHours(10 + d % 6), TimeSpan.Zero), Outcome = "succeeded",
                    ReceivedAt = new DateTimeOffset(monday.AddDays(d % 5).AddHours(10 + d % 6), TimeSpan.Zero),
                });
            for (var i = 0; i < incidents[week]; i++)
            {
                var opened = new DateTimeOffset(monday.AddDays(1 + i % 3).AddHours(9 + 3 * i), TimeSpan.Zero);
                var resolved = opened.AddMinutes(recovery[week] + 10 * i);
                var incident = new Incident
                {
                    Source = "webhook", ExternalId = $"demo-{week}-{i}", Title = $"Checkout errors ({week}.{i})", Impact = 1 + (week + i) % 4,
                    Status = IncidentStatus.Resolved, ServiceKey = i % 2 == 0 ? "checkout" : "payments-api", TeamKey = "payments", OpenedAt = opened,
                    AcknowledgedAt = opened.AddMinutes(4 + i), AcknowledgedBy = "bea", ResolvedAt = resolved, UpdatedAt = resolved, LastReportedAt = resolved,
                    DeploymentId = i == 0 ? $"demo-{week}-0" : null,
                };
                incident.Timeline.Add(new IncidentEvent { At = opened, Kind = IncidentEventKind.Opened, Actor = "webhook", Text = "Opened" });
                incident.Timeline.Add(new IncidentEvent { At = resolved, Kind = IncidentEventKind.Resolved, Actor = "webhook", Text = "Resolved" });
                db.Incidents.Add(incident);
                if (week >= 4 && i == 0)
                {
                    var review = new Review
                    {
                        TeamKey = "payments", Title = incident.Title, Impact = incident.Impact, OwnerKey = "bea", Status = ReviewStatus.Completed,
                        TemplateName = ReviewTemplate.Blameless.Name, TemplateVersion = ReviewTemplate.Blameless.Version, Sections = [.. ReviewTemplate.Blameless.Sections],
                        ResolvedAt = resolved, CreatedAt = resolved, UpdatedAt = resolved.AddDays(2), StartedBy = "bot", DueAt = resolved.AddDays(7),
                        CompletedAt = resolved.AddDays(2), CompletedBy = "bea",
                    };
                    review.Contributions.Add(new ReviewContribution
                    {
                        Section = ReviewTemplate.Factors, By = "kim", ByName = "Kim Laine", At = resolved.AddDays(1), Text = "The canary had no alarm on error rate",
                        Tags = ["tooling"],
                    });
                    review.Contributions.Add(new ReviewContribution
                    {
                        Section = ReviewTemplate.Summary, By = "bea", ByName = "Bea Okafor", At = resolved.AddDays(1), Text = "Checkout failed for some customers",
                    });
                    db.Reviews.Add(review);
                }
            }
            for (var e = 0; e < escalations[week]; e++)
            {
                var raised = new DateTimeOffset(monday.AddDays(e % 5).AddHours(8 + 2 * (e % 4)), TimeSpan.Zero);
                var raiser = people[(week + e) % people.Length];
                db.Escalations.Add(new Escalation
                {
                    Summary = "Checkout is slow", TeamKey = "payments", ServiceKey = "checkout", Impact = CustomerImpact.Degraded, Urgency = Urgency.WithinHour,
                    Channel = "playground", RaisedInConversation = "#payments", RaisedByUserId = raiser, RaisedByName = raiser, RaisedByKey = raiser, RaisedAt = raised,
                    Status = EscalationStatus.Resolved, AcknowledgedByKey = "kim", AcknowledgedByName = "Kim Laine", AcknowledgedAt = raised.AddMinutes(acknowledge[week] + e),
                    ResolvedByName = "Kim Laine", ResolvedAt = raised.AddHours(1), Outcome = "Fixed", OutcomeKind = e == 1 ? EscalationOutcome.FalseAlarm : EscalationOutcome.Fixed,
                });
            }
        }
        db.CheckIns.Add(new CheckIn
        {
            TeamKey = "payments", PersonKey = "bea", ShiftStartedAt = now.AddDays(-8), ShiftEndedAt = now.AddDays(-1), AskedAt = now.AddDays(-1),
            AnsweredAt = now.AddDays(-1).AddHours(1), Load = 4, SleepInterrupted = true, WhatHurt = "The billing queue alert paged twice a night", Shared = true,
        });
        await db.SaveChangesAsync();
    }
}
