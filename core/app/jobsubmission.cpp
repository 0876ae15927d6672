// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsubmission.h"

#include "core/brief/briefjson.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow {

QString CampaignWorkflow::type()
{
    return defaultWorkflowId();
}

QStringList CampaignWorkflow::stepNames()
{
    // The built-in resource is part of the binary and tested: failing to parse it is a
    // programming error, not an input problem.
    const auto workflow = builtinWorkflow(defaultWorkflowId());
    Q_ASSERT_X(workflow.ok(), "CampaignWorkflow", "the built-in workflow must parse");
    return workflow.ok() ? workflow->stepNames() : QStringList();
}

QHash<QString, QString> modelOverrides(const Settings &settings)
{
    const std::pair<const char *, const Setting<QString> *> models[] = {
        {"concept", &Settings::ConceptModel},
        {"image_prompt", &Settings::ImagePromptModel},
        {"image", &Settings::ImageModel},
    };
    QHash<QString, QString> overrides;
    for (const auto &[step, setting] : models) {
        const QString ref = settings.value(*setting).trimmed();
        if (!ref.isEmpty() && ref != setting->defaultValue)
            overrides.insert(QLatin1String(step), ref);
    }
    return overrides;
}

Result<JobRecord, StoreError> submitBrief(JobStore &store, const Brief &brief,
                                          const QString &source)
{
    const Brief normal = normalizedBrief(brief);
    if (const BriefIssues issues = validateBrief(normal); !issues.isEmpty()) {
        StoreError error;
        error.kind = StoreError::Kind::Constraint;
        error.message = QStringLiteral("The brief has problems and was not queued: %1: %2")
                            .arg(issues.first().field, issues.first().message);
        return fail(error);
    }

    NewJob job;
    job.workflowType = CampaignWorkflow::type();
    job.inputPayload = briefToJson(normal);
    job.stepNames = CampaignWorkflow::stepNames();

    // The job and the note of where it came from commit together.
    auto batch = store.beginBatch();
    if (!batch)
        return fail(batch.error());
    auto created = store.createJob(job);
    if (!created)
        return created;
    if (!source.isEmpty()) {
        auto logged = store.appendEvent(created->id, StepId(), QStringLiteral("submitted"),
                                        QStringLiteral("Queued from %1").arg(source));
        if (!logged)
            return fail(logged.error());
    }
    if (auto committed = batch->commit(); !committed)
        return fail(committed.error());
    return created;
}

std::optional<Brief> briefOfJob(const JobRecord &job)
{
    auto parsed = briefFromJson(job.inputPayload);
    if (!parsed)
        return std::nullopt;
    return std::move(parsed).value();
}

} // namespace brieflow
