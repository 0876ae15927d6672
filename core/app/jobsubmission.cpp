// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobsubmission.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/brief/briefjson.h"
#include "core/pipeline/jobledger.h"
#include "core/pipeline/stepoutput.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "core/workflow/outputcheck.h"
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

namespace {

StoreError refused(StoreError::Kind kind, const QString &message)
{
    StoreError error;
    error.kind = kind;
    error.message = message;
    return error;
}

/** The brief as a new job of the campaign workflow, or why it can't be queued. */
Result<NewJob, StoreError> campaignJob(const Brief &brief)
{
    const Brief normal = normalizedBrief(brief);
    if (const BriefIssues issues = validateBrief(normal); !issues.isEmpty()) {
        return fail(refused(StoreError::Kind::Constraint,
                            QStringLiteral("The brief has problems and was not queued: %1: %2")
                                .arg(issues.first().field, issues.first().message)));
    }
    NewJob job;
    job.workflowType = CampaignWorkflow::type();
    job.inputPayload = briefToJson(normal);
    job.stepNames = CampaignWorkflow::stepNames();
    return job;
}

} // namespace

Result<JobRecord, StoreError> submitBrief(JobStore &store, const Brief &brief,
                                          const QString &source)
{
    const auto made = campaignJob(brief);
    if (!made)
        return fail(made.error());
    const NewJob &job = *made;

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

Result<JobRecord, StoreError> rerunJob(JobStore &store, const JobId &source)
{
    const auto found = store.job(source);
    if (!found)
        return fail(found.error());
    if (!*found) {
        return fail(
            refused(StoreError::Kind::NotFound,
                    QStringLiteral("There is no job %1 to use again.").arg(source.toString())));
    }
    const std::optional<Brief> brief = briefOfJob(**found);
    if (!brief) {
        return fail(refused(StoreError::Kind::Constraint,
                            QStringLiteral("Job %1 was not made from a brief, so it can't be run "
                                           "again.")
                                .arg(source.toString())));
    }
    const auto made = campaignJob(*brief);
    if (!made)
        return fail(made.error());
    return store.createJob(*made, source);
}

Result<JobRecord, StoreError> submitFromImagePrompt(JobStore &store, const Brief &brief,
                                                    const QString &conceptText,
                                                    const QString &imagePrompt,
                                                    const QString &source)
{
    const auto made = campaignJob(brief);
    if (!made)
        return fail(made.error());
    const auto workflow = builtinWorkflow(CampaignWorkflow::type());
    if (!workflow) {
        return fail(refused(StoreError::Kind::Constraint, formatWorkflowErrors(workflow.error())));
    }
    const QString conceptStep = QStringLiteral("concept");
    const QString promptStep = QStringLiteral("image_prompt");
    const StepDefinition *promptDefinition = workflow->step(promptStep);
    if (!promptDefinition || !workflow->step(conceptStep)) {
        return fail(refused(StoreError::Kind::Constraint,
                            QStringLiteral("The workflow %1 has no concept and image prompt steps.")
                                .arg(workflow->id)));
    }
    // The engine's own check of a model's answer, and its cleaning: what is stored is exactly
    // what the image step would have read after a prediction.
    const auto prompt = checkStepOutput(*promptDefinition, imagePrompt);
    if (!prompt) {
        return fail(
            refused(StoreError::Kind::Constraint,
                    QStringLiteral("The image prompt can't be used: %1").arg(prompt.error())));
    }
    // The concept only documents the job (the image step doesn't read it); like an edited
    // output it is kept as written, but it must say something.
    const QString conceptKept = conceptText.trimmed();
    if (conceptKept.isEmpty()) {
        return fail(refused(StoreError::Kind::Constraint,
                            QStringLiteral("The concept to reuse is empty.")));
    }

    auto batch = store.beginBatch();
    if (!batch)
        return fail(batch.error());
    const auto created = store.createJob(*made);
    if (!created)
        return created;
    auto stepsRead = store.steps(created->id);
    if (!stepsRead)
        return fail(stepsRead.error());
    QList<StepRecord> steps = std::move(stepsRead).value();
    JobLedger ledger(store);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (StepRecord &step : steps) {
        QString text;
        if (step.name == conceptStep)
            text = conceptKept;
        else if (step.name == promptStep)
            text = *prompt;
        else
            continue;
        step.startedAt = now;
        // The engine's path for a text step that succeeded: output, completed time, the job's
        // derived state and a "step_succeeded" event.
        if (auto stored = ledger.stepSucceeded(step, textStepOutput(text), {}); !stored)
            return fail(stored.error());
    }
    const QJsonObject data{
        {QStringLiteral("source"), source},
        {QStringLiteral("steps"), QJsonArray{conceptStep, promptStep}},
    };
    if (auto logged =
            store.appendEvent(created->id, StepId(), QStringLiteral("reused"),
                              QStringLiteral("Concept and image prompt reused from %1").arg(source),
                              QJsonDocument(data).toJson(QJsonDocument::Compact));
        !logged)
        return fail(logged.error());
    if (auto committed = batch->commit(); !committed)
        return fail(committed.error());
    const auto job = store.job(created->id);
    if (!job)
        return fail(job.error());
    if (!*job)
        return fail(refused(StoreError::Kind::NotFound,
                            QStringLiteral("job %1").arg(created->id.toString())));
    return **job;
}

std::optional<Brief> briefOfJob(const JobRecord &job)
{
    auto parsed = briefFromJson(job.inputPayload);
    if (!parsed)
        return std::nullopt;
    return std::move(parsed).value();
}

} // namespace brieflow
