// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/jobview.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/monitoring/eta.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow::cli {

namespace {

QJsonValue payloadJson(const QByteArray &payload)
{
    if (payload.isEmpty())
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(payload);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QString::fromUtf8(payload);
}

QJsonValue timeJson(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

/** The model a step calls: its last attempt's, else the workflow definition's. */
QString stepModel(const JobView &view, qsizetype index)
{
    const QList<ProviderCallRecord> &calls = view.calls.at(index);
    if (!calls.isEmpty())
        return calls.last().modelRef;
    const auto workflow = builtinWorkflow(view.job.workflowType);
    if (!workflow)
        return {};
    const StepDefinition *definition = workflow->step(view.steps.at(index).name);
    return definition ? definition->model : QString();
}

QString productOf(const JobRecord &job)
{
    const auto brief = briefOfJob(job);
    return brief ? brief->productName : QStringLiteral("(not a brief)");
}

/** @p text wrapped at @p width columns, every line indented by @p indent. */
QStringList wrapped(const QString &text, int indent, int width = 100)
{
    const QString pad(indent, QLatin1Char(' '));
    QStringList lines;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QString line;
        for (const QString &word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
                lines << pad + line;
                line.clear();
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        }
        lines << pad + line;
    }
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    return lines;
}

QString firstLine(const QString &text, int max)
{
    QString line = text.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.size() > max)
        line = line.left(max - 1) + QStringLiteral("…");
    return line;
}

QString duration(const StepRecord &step)
{
    if (!step.startedAt.isValid() || !step.completedAt.isValid())
        return {};
    const qint64 ms = step.startedAt.msecsTo(step.completedAt);
    return QStringLiteral(", %1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

bool hasEta(JobStatus status)
{
    return status == JobStatus::Pending || status == JobStatus::Processing;
}

PriceTable priceTableOf(const Settings &settings, bool *fromSettings)
{
    if (fromSettings)
        *fromSettings = false;
    const QByteArray json = settings.value(Settings::ModelPrices).trimmed();
    if (json.isEmpty())
        return PriceTable::defaults();
    QString why;
    auto table = PriceTable::fromJson(json, &why);
    if (!table) {
        err(QStringLiteral("brieflow-cli: warning: the price table in %1 can't be used (%2); "
                           "using the default prices")
                .arg(settings.fileName(), why));
        return PriceTable::defaults();
    }
    if (fromSettings)
        *fromSettings = true;
    return *table;
}

Result<QHash<JobId, std::optional<qint64>>, StoreError>
jobEtas(const JobStore &store, const Settings &settings, const QList<JobRecord> &jobs,
        const QHash<JobId, QList<StepRecord>> &knownSteps)
{
    QHash<JobId, std::optional<qint64>> etas;
    QList<JobId> ids;
    for (const JobRecord &job : jobs) {
        if (hasEta(job.status))
            ids << job.id;
    }
    if (ids.isEmpty())
        return etas;
    auto history = store.stepHistory();
    if (!history)
        return brieflow::fail(history.error());
    auto ahead = store.jobsAhead(ids);
    if (!ahead)
        return brieflow::fail(ahead.error());
    const QHash<QString, QString> overrides = modelOverrides(settings);
    const int concurrentJobs = settings.value(Settings::MaxConcurrentJobs);
    const QDateTime now = QDateTime::currentDateTimeUtc();

    // One estimator per workflow; none for a workflow this build doesn't know.
    QHash<QString, std::optional<EtaEstimator>> estimators;
    for (const JobRecord &job : jobs) {
        if (!hasEta(job.status))
            continue;
        auto estimator = estimators.find(job.workflowType);
        if (estimator == estimators.end()) {
            std::optional<EtaEstimator> made;
            const auto workflow = builtinWorkflow(job.workflowType);
            if (workflow)
                made.emplace(history.value(), stepModelsOf(*workflow, overrides),
                             workflow->stepNames(), concurrentJobs);
            estimator = estimators.insert(job.workflowType, std::move(made));
        }
        if (!*estimator) {
            etas.insert(job.id, std::nullopt);
            continue;
        }
        QList<StepRecord> steps = knownSteps.value(job.id);
        if (!knownSteps.contains(job.id)) {
            auto read = store.steps(job.id);
            if (!read)
                return brieflow::fail(read.error());
            steps = read.value();
        }
        etas.insert(job.id, (*estimator)->remainingMs(steps, ahead->value(job.id), now));
    }
    return etas;
}

Result<void, StoreError> estimateJobView(const JobStore &store, const Settings &settings,
                                         JobView &view)
{
    const PriceTable prices = priceTableOf(settings);
    auto costs = store.jobCosts({view.job.id}, prices);
    if (!costs)
        return brieflow::fail(costs.error());
    view.costUsd = costs->value(view.job.id, 0.0);
    view.etaMs.reset();
    if (hasEta(view.job.status)) {
        auto etas = jobEtas(store, settings, {view.job}, {{view.job.id, view.steps}});
        if (!etas)
            return brieflow::fail(etas.error());
        view.etaMs = etas->value(view.job.id);
    }
    view.estimated = true;
    return {};
}

bool isSettled(JobStatus status)
{
    return status == JobStatus::Succeeded || status == JobStatus::Failed
           || status == JobStatus::Canceled || status == JobStatus::NeedsAttention;
}

QString stepText(const StepRecord &step)
{
    if (step.outputPayload.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(step.outputPayload);
    if (doc.isObject())
        return doc.object().value(QStringLiteral("text")).toString();
    return {};
}

std::unique_ptr<JobStore> openForReading(const Context &context, int *exitCode)
{
    *exitCode = Success;
    const QString file = context.paths.databaseFile();
    if (!QFileInfo::exists(file))
        return nullptr;
    auto store = JobStore::open(file, JobStore::Mode::Reader);
    if (!store) {
        *exitCode = fail(DataUnavailable, store.error().message);
        return nullptr;
    }
    return std::move(store).value();
}

Result<std::optional<JobView>, StoreError> loadJobView(const JobStore &store, const JobId &id)
{
    auto job = store.job(id);
    if (!job)
        return brieflow::fail(job.error());
    if (!job.value())
        return std::optional<JobView>();
    JobView view;
    view.job = *job.value();
    auto steps = store.steps(id);
    if (!steps)
        return brieflow::fail(steps.error());
    view.steps = steps.value();
    for (const StepRecord &step : std::as_const(view.steps)) {
        auto calls = store.calls(step.id);
        if (!calls)
            return brieflow::fail(calls.error());
        view.calls.append(calls.value());
    }
    auto outputs = store.outputs(id);
    if (!outputs)
        return brieflow::fail(outputs.error());
    view.outputs = outputs.value();
    auto events = store.events(id);
    if (!events)
        return brieflow::fail(events.error());
    view.events = events.value();
    return std::optional<JobView>(std::move(view));
}

QJsonObject stuckJobToJson(const JobRecord &job)
{
    QJsonObject object = jobToJson(job);
    object.insert(QStringLiteral("stuck"), job.isStuck());
    object.insert(QStringLiteral("stuck_reason"), textOrNull(job.stuckReason));
    object.insert(QStringLiteral("stuck_since"), timeJson(job.stuckSince));
    return object;
}

QJsonObject jobViewToJson(const JobView &view)
{
    QJsonObject object = stuckJobToJson(view.job);
    if (view.estimated) {
        object.insert(QStringLiteral("cost_usd"), view.costUsd);
        if (hasEta(view.job.status))
            object.insert(QStringLiteral("eta_ms"), view.etaMs ? QJsonValue(double(*view.etaMs))
                                                               : QJsonValue(QJsonValue::Null));
    }
    object.insert(QStringLiteral("input"), payloadJson(view.job.inputPayload));
    object.insert(QStringLiteral("output"), payloadJson(view.job.outputPayload));

    QHash<StepId, QString> stepNames;
    QJsonArray stepArray;
    for (qsizetype i = 0; i < view.steps.size(); ++i) {
        const StepRecord &s = view.steps.at(i);
        stepNames.insert(s.id, s.name);
        QJsonArray callArray;
        for (const ProviderCallRecord &c : view.calls.at(i)) {
            callArray.append(QJsonObject{
                {QStringLiteral("attempt"), c.attempt},
                {QStringLiteral("prediction_id"), textOrNull(c.predictionId)},
                {QStringLiteral("state"), toString(c.state)},
                {QStringLiteral("status"), textOrNull(c.providerStatus)},
                {QStringLiteral("error_type"), textOrNull(c.errorType)},
                {QStringLiteral("error_message"), textOrNull(c.errorMessage)},
                {QStringLiteral("model"), c.modelRef},
                {QStringLiteral("input_sha256"), c.inputSha256},
                {QStringLiteral("created_at"), timeJson(c.createdAt)},
                {QStringLiteral("submitted_at"), timeJson(c.submittedAt)},
                {QStringLiteral("completed_at"), timeJson(c.completedAt)},
            });
        }
        stepArray.append(QJsonObject{
            {QStringLiteral("name"), s.name},
            {QStringLiteral("status"), toString(s.status)},
            {QStringLiteral("attempt_count"), s.attemptCount},
            {QStringLiteral("error_type"), textOrNull(s.errorType)},
            {QStringLiteral("error_message"), textOrNull(s.errorMessage)},
            {QStringLiteral("model"), textOrNull(stepModel(view, i))},
            {QStringLiteral("input"), payloadJson(s.inputPayload)},
            {QStringLiteral("output"), payloadJson(s.outputPayload)},
            {QStringLiteral("started_at"), timeJson(s.startedAt)},
            {QStringLiteral("completed_at"), timeJson(s.completedAt)},
            {QStringLiteral("stuck_reason"), textOrNull(s.stuckReason)},
            {QStringLiteral("stuck_since"), timeJson(s.stuckSince)},
            {QStringLiteral("stuck_snoozed_until"), timeJson(s.stuckSnoozedUntil)},
            {QStringLiteral("attempts"), callArray},
        });
    }
    object.insert(QStringLiteral("steps"), stepArray);

    QJsonArray outputArray;
    for (const OutputRecord &o : view.outputs)
        outputArray.append(QJsonObject{
            {QStringLiteral("id"), o.id.toString()},
            {QStringLiteral("step"), textOrNull(stepNames.value(o.stepId))},
            {QStringLiteral("kind"), o.kind},
            {QStringLiteral("path"), o.filePath},
            {QStringLiteral("sha256"), o.sha256},
            {QStringLiteral("mime"), o.mime},
            {QStringLiteral("width"), o.width},
            {QStringLiteral("height"), o.height},
            {QStringLiteral("bytes"), o.bytes},
            {QStringLiteral("created_at"), timeJson(o.createdAt)},
        });
    object.insert(QStringLiteral("outputs"), outputArray);

    QJsonArray eventArray;
    for (const EventRecord &e : view.events) {
        QJsonObject event{{QStringLiteral("time"), timeJson(e.time)},
                          {QStringLiteral("step"), textOrNull(stepNames.value(e.stepId))},
                          {QStringLiteral("kind"), e.kind},
                          {QStringLiteral("message"), e.message}};
        if (!e.data.isEmpty())
            event.insert(QStringLiteral("data"), payloadJson(e.data));
        eventArray.append(event);
    }
    object.insert(QStringLiteral("events"), eventArray);
    return object;
}

void printJobStory(const JobView &view)
{
    const JobRecord &record = view.job;
    const auto brief = briefOfJob(record);
    out(QStringLiteral("Job      %1").arg(record.id.toString()));
    out(QStringLiteral("Product  %1").arg(productOf(record)));
    out(QStringLiteral("Status   %1%2")
            .arg(toString(record.status),
                 record.currentStep.isEmpty()
                     ? QString()
                     : QStringLiteral(" (at %1)").arg(record.currentStep)));
    out(QStringLiteral("Created  %1   Updated %2")
            .arg(formatTime(record.createdAt), formatTime(record.updatedAt)));
    if (view.estimated) {
        if (hasEta(record.status))
            out(QStringLiteral("ETA      %1").arg(formatEta(view.etaMs)));
        out(QStringLiteral("Cost     %1 so far").arg(formatUsd(view.costUsd)));
    }
    if (!record.errorType.isEmpty())
        out(QStringLiteral("Error    %1: %2").arg(record.errorType, record.errorMessage));
    if (record.isStuck()) {
        out(QStringLiteral("Stuck    %1 (flagged %2)")
                .arg(record.stuckReason, formatTime(record.stuckSince)));
        out(QStringLiteral("         brieflow-cli cancel | retry | keep-waiting %1")
                .arg(record.id.toString()));
    }
    if (brief) {
        // Continuation lines of multi-line fields line up under the first.
        const auto field = [](const QString &text) {
            return QString(text).replace(QLatin1Char('\n'),
                                         QStringLiteral("\n") + QString(21, QLatin1Char(' ')));
        };
        out(QString());
        out(QStringLiteral("Brief"));
        out(QStringLiteral("  Audience           %1").arg(field(brief->audience)));
        out(QStringLiteral("  Value proposition  %1").arg(field(brief->valueProposition)));
        if (!brief->tone.isEmpty())
            out(QStringLiteral("  Tone               %1").arg(brief->tone));
        if (!brief->brandNotes.isEmpty())
            out(QStringLiteral("  Brand notes        %1").arg(field(brief->brandNotes)));
        out(QStringLiteral("  Images             %1 × %2, %3")
                .arg(brief->image.count)
                .arg(brief->image.aspectRatio, brief->image.outputFormat));
    }

    out(QString());
    out(QStringLiteral("Steps"));
    for (qsizetype i = 0; i < view.steps.size(); ++i) {
        const StepRecord &s = view.steps.at(i);
        const QString attempts = s.attemptCount == 1
                                     ? QStringLiteral("1 attempt")
                                     : QStringLiteral("%1 attempts").arg(s.attemptCount);
        out(QStringLiteral("  %1. %2  %3  (%4%5)")
                .arg(s.ordinal + 1)
                .arg(s.name, -13)
                .arg(toString(s.status), -15)
                .arg(attempts, duration(s)));
        const QString text = stepText(s);
        if (!text.isEmpty()) {
            for (const QString &line : wrapped(text, 7))
                out(line);
        }
        for (const OutputRecord &o : view.outputs) {
            if (o.stepId == s.id)
                out(QStringLiteral("       %1  %2×%3  %4")
                        .arg(o.filePath, QString::number(o.width), QString::number(o.height),
                             o.mime));
        }
        if (!s.errorType.isEmpty())
            out(QStringLiteral("       error %1: %2").arg(s.errorType, s.errorMessage));
    }
    if (record.status == JobStatus::Failed || record.status == JobStatus::Canceled)
        out(QStringLiteral("  Try again with: brieflow-cli retry %1").arg(record.id.toString()));
    else if (record.status == JobStatus::NeedsAttention)
        out(QStringLiteral("  Once the problem is fixed, brieflow-cli worker carries on (or: "
                           "brieflow-cli retry %1)")
                .arg(record.id.toString()));

    bool anyCall = false;
    for (const auto &calls : view.calls)
        anyCall = anyCall || !calls.isEmpty();
    if (anyCall) {
        out(QString());
        out(QStringLiteral("Provider calls"));
        for (qsizetype i = 0; i < view.steps.size(); ++i) {
            for (const ProviderCallRecord &c : view.calls.at(i)) {
                QString line =
                    QStringLiteral("  %1 #%2  %3  %4  %5")
                        .arg(view.steps.at(i).name)
                        .arg(c.attempt)
                        .arg(c.modelRef, toString(c.state),
                             c.predictionId.isEmpty() ? QStringLiteral("(no prediction id)")
                                                      : c.predictionId);
                if (!c.errorType.isEmpty())
                    line += QStringLiteral("  %1: %2").arg(c.errorType, c.errorMessage);
                out(line);
            }
        }
    }

    const bool orphanOutputs =
        std::any_of(view.outputs.cbegin(), view.outputs.cend(), [&view](const OutputRecord &o) {
            return std::none_of(view.steps.cbegin(), view.steps.cend(),
                                [&o](const StepRecord &s) { return s.id == o.stepId; });
        });
    if (orphanOutputs) {
        out(QString());
        out(QStringLiteral("Other outputs"));
        for (const OutputRecord &o : view.outputs)
            out(QStringLiteral("  %1  %2×%3  %4")
                    .arg(o.kind)
                    .arg(o.width)
                    .arg(o.height)
                    .arg(o.filePath));
    }

    out(QString());
    out(QStringLiteral("Events"));
    for (const EventRecord &e : view.events)
        out(QStringLiteral("  %1  %2  %3").arg(formatTime(e.time), e.kind, e.message));
}

void printJobResult(const JobView &view)
{
    const JobRecord &job = view.job;
    out(QStringLiteral("%1  %2  %3")
            .arg(toString(job.status), -15)
            .arg(job.id.toString(), productOf(job)));
    for (const StepRecord &s : view.steps) {
        const QString text = stepText(s);
        if (!text.isEmpty())
            out(QStringLiteral("    %1  %2").arg(s.name, -13).arg(firstLine(text, 80)));
        bool first = true;
        for (const OutputRecord &o : view.outputs) {
            if (o.stepId != s.id)
                continue;
            out(QStringLiteral("    %1  %2").arg(first ? s.name : QString(), -13).arg(o.filePath));
            first = false;
        }
    }
    if (!job.errorType.isEmpty())
        out(QStringLiteral("    error          %1%2: %3")
                .arg(job.currentStep.isEmpty() ? QString() : job.currentStep + QStringLiteral(": "),
                     job.errorType, job.errorMessage));
    if (job.status == JobStatus::Pending || job.status == JobStatus::Processing
        || job.status == JobStatus::NeedsAttention)
        out(QStringLiteral("    carry on       brieflow-cli worker%1")
                .arg(job.status == JobStatus::NeedsAttention
                         ? QStringLiteral(" (once the problem is fixed), or retry %1")
                               .arg(job.id.toString())
                         : QString()));
    else if (job.status != JobStatus::Succeeded)
        out(QStringLiteral("    try again      brieflow-cli retry %1").arg(job.id.toString()));
}

} // namespace brieflow::cli
