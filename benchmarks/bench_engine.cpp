// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench_engine: the durable pipeline engine against the sandbox, printing one JSON object
// (issue 4 §6; reliability-performance.md §7 B1 and B3).
//  - throughput: N single-step jobs (a text step, no store step), model time 0, rate limits
//    off; jobs/s from engine start until the last job succeeded. Target ≥ 500 jobs/s at 10,000.
//  - overhead: the three-step campaign_asset pipeline, one job at a time; the engine-side time
//    per step (see "definition" in the output). Targets p50 ≤ 2 ms, p99 ≤ 10 ms.
//  - peak memory: VmHWM of this process with N jobs queued and the engine running them.
//    Target ≤ 150 MB at 10,000.
// The sandbox runs as a separate process (`brieflow-cli sandbox --latency-ms 0`); the engine
// runs on this process's main thread with its own store in a temporary data folder.
// Usage: bench_engine [--quick] [--jobs N] [--pipelines M]
#include <algorithm>
#include <cstdio>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTemporaryDir>
#include <QTimer>

#ifdef BRIEFLOW_BENCH_HAVE_SQLITE3
#include <sqlite3.h>
#endif

#include "benchmarks/benchsupport.h"
#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/pipelineengine.h"
#include "core/replicate/replicateclient.h"
#include "core/store/jobstore.h"
#include "core/util/clock.h"
#include "core/workflow/workflow.h"

using namespace brieflow;
using brieflow::bench::SandboxProcess;
using brieflow::bench::waitUntil;
using namespace std::chrono_literals;

namespace {

const QString kToken = QStringLiteral("r8_BenchmarkToken000000000000000000000000");
const QString kTextModel = QStringLiteral("meta/meta-llama-3-8b-instruct");

QElapsedTimer &monotonic()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer;
}

double nowMs()
{
    return static_cast<double>(monotonic().nsecsElapsed()) / 1e6;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double round3(double v)
{
    return static_cast<double>(qRound64(v * 1000.0)) / 1000.0;
}

QJsonObject figures(const std::vector<double> &ms)
{
    double sum = 0;
    for (double v : ms)
        sum += v;
    return {{QStringLiteral("n"), static_cast<qint64>(ms.size())},
            {QStringLiteral("p50"), round3(percentile(ms, 0.50))},
            {QStringLiteral("p90"), round3(percentile(ms, 0.90))},
            {QStringLiteral("p99"), round3(percentile(ms, 0.99))},
            {QStringLiteral("max"), round3(percentile(ms, 1.0))},
            {QStringLiteral("mean"), ms.empty() ? 0.0 : round3(sum / double(ms.size()))}};
}

/** kB figures of /proc/self/status ("VmRSS", "VmHWM"); 0 where there is no procfs. */
qint64 procStatusKb(const QByteArray &key)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

double mb(qint64 kb)
{
    return round3(static_cast<double>(kb) / 1024.0);
}

/**
 * A ModelProvider in front of the real ReplicateClient that timestamps what the engine hands
 * to the provider and what the provider hands back: when a create is sent, how long the
 * engine's code runs inside each callback, and when an answer first shows a prediction final.
 */
class TimingProvider final : public ModelProvider {
public:
    explicit TimingProvider(ModelProvider &inner)
        : m_inner(inner)
    {}

    struct Transition {
        QString fromModel;
        double ms = 0;
    };

    // What the overhead benchmark reads.
    std::vector<Transition> transitions;  ///< final seen → next create handed to the client
    std::vector<double> createHandling;   ///< engine time inside a create callback
    std::vector<double> createRoundTrips; ///< create sent → its answer
    std::vector<double> detectionLags;    ///< provider's completed_at → our GET saw it
    std::vector<double> imageFinalSeen;   ///< times an image prediction was seen final
    int gets = 0;
    int creates = 0;

    CallHandle createPrediction(const CreateRequest &request, QObject *context,
                                ProviderCallback<Prediction> done) override
    {
        const double sent = nowMs();
        ++creates;
        if (m_lastFinalAt >= 0) {
            transitions.push_back({m_lastFinalModel, sent - m_lastFinalAt});
            m_lastFinalAt = -1;
        }
        return m_inner.createPrediction(
            request, context, [this, sent, done](const ProviderResult<Prediction> &result) {
                const double start = nowMs();
                createRoundTrips.push_back(start - sent);
                // Final already in the create's answer: the whole callback is the hand-over
                // to the next step, counted as a transition (0 here keeps steps aligned).
                const bool final = result && isFinal(result->status);
                if (final)
                    sawFinal(*result, start);
                done(result);
                createHandling.push_back(final ? 0.0 : nowMs() - start);
            });
    }

    CallHandle getPrediction(const QString &id, QObject *context,
                             ProviderCallback<Prediction> done) override
    {
        ++gets;
        return m_inner.getPrediction(id, context,
                                     [this, done](const ProviderResult<Prediction> &result) {
                                         if (result && isFinal(result->status))
                                             sawFinal(*result, nowMs());
                                         done(result);
                                     });
    }

    CallHandle cancelPrediction(const QString &id, QObject *context,
                                ProviderCallback<Prediction> done) override
    {
        return m_inner.cancelPrediction(id, context, std::move(done));
    }
    CallHandle listPredictions(const PredictionListQuery &query, QObject *context,
                               ProviderCallback<PredictionPage> done) override
    {
        return m_inner.listPredictions(query, context, std::move(done));
    }
    CallHandle account(QObject *context, ProviderCallback<Account> done) override
    {
        return m_inner.account(context, std::move(done));
    }
    CallHandle getModel(const QString &owner, const QString &name, QObject *context,
                        ProviderCallback<ModelInfo> done) override
    {
        return m_inner.getModel(owner, name, context, std::move(done));
    }
    CallHandle getModelVersion(const QString &owner, const QString &name, const QString &versionId,
                               QObject *context, ProviderCallback<ModelVersion> done) override
    {
        return m_inner.getModelVersion(owner, name, versionId, context, std::move(done));
    }
    CallHandle defaultWebhookSecret(QObject *context, ProviderCallback<QString> done) override
    {
        return m_inner.defaultWebhookSecret(context, std::move(done));
    }
    CallHandle streamPrediction(const Prediction &prediction, QObject *context,
                                StreamChunksCallback onChunks,
                                ProviderCallback<StreamEnd> done) override
    {
        return m_inner.streamPrediction(prediction, context, std::move(onChunks), std::move(done));
    }

protected:
    void abortCall(quint64) override {} // the handles returned are the inner provider's

private:
    static bool isFinal(PredictionStatus s)
    {
        return s == PredictionStatus::Succeeded || s == PredictionStatus::Failed
               || s == PredictionStatus::Canceled || s == PredictionStatus::Aborted;
    }

    void sawFinal(const Prediction &p, double at)
    {
        if (m_seenFinal.contains(p.id))
            return;
        m_seenFinal.insert(p.id);
        if (p.completedAt.isValid()) {
            detectionLags.push_back(
                static_cast<double>(p.completedAt.msecsTo(QDateTime::currentDateTimeUtc())));
        }
        const QString model = p.model;
        if (model.contains(QLatin1String("flux"))) {
            imageFinalSeen.push_back(at);
            m_lastFinalAt = -1; // what follows is downloading and the store step
            return;
        }
        m_lastFinalAt = at;
        m_lastFinalModel = model;
    }

    ModelProvider &m_inner;
    QSet<QString> m_seenFinal;
    double m_lastFinalAt = -1;
    QString m_lastFinalModel;
};

#ifdef BRIEFLOW_BENCH_HAVE_SQLITE3
qint64 g_commits = 0;
int countCommit(void *)
{
    ++g_commits;
    return 0; // 0: let the commit happen
}
#endif

/** Counts the commits of every SQLite connection this thread opened (-1: not available). */
bool hookCommits()
{
#ifdef BRIEFLOW_BENCH_HAVE_SQLITE3
    bool hooked = false;
    const QStringList names = QSqlDatabase::connectionNames();
    for (const QString &name : names) {
        const QSqlDatabase db = QSqlDatabase::database(name, false);
        if (!db.isValid() || !db.driver())
            continue;
        const QVariant handle = db.driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
            continue;
        if (auto *h = *static_cast<sqlite3 *const *>(handle.constData())) {
            sqlite3_commit_hook(h, &countCommit, nullptr);
            hooked = true;
        }
    }
    return hooked;
#else
    return false;
#endif
}

qint64 commits()
{
#ifdef BRIEFLOW_BENCH_HAVE_SQLITE3
    return g_commits;
#else
    return -1;
#endif
}

/** Polls fast: with model time 0 the first GET already finds the prediction finished. */
PollPolicy fastPolls()
{
    PollPolicy policy;
    policy.firstPoll = 1ms;
    policy.minInterval = 2ms;
    policy.maxInterval = 200ms;
    return policy;
}

struct Rig {
    QTemporaryDir dir;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<OutputStorage> storage;
    std::unique_ptr<OutputDownloader> downloader;
    std::unique_ptr<replicate::ReplicateClient> client;
    std::unique_ptr<TimingProvider> timing;
    std::unique_ptr<PipelineEngine> engine;
    EngineOptions options;

    bool open(const QUrl &base)
    {
        if (!dir.isValid())
            return false;
        auto opened = JobStore::open(dir.filePath(QStringLiteral("brieflow.sqlite3")),
                                     JobStore::Mode::Writer);
        if (!opened) {
            std::fprintf(stderr, "store: %s\n", qPrintable(opened.error().message));
            return false;
        }
        store = std::move(opened).value();
        storage = std::make_unique<OutputStorage>(dir.filePath(QStringLiteral("outputs")));
        options.outputPolicy.allowLoopback = true;
        options.pollBudgetPerSecond = 5000;
        options.jitterSeed = 7;
        downloader = std::make_unique<OutputDownloader>(*storage, options.outputPolicy);
        replicate::ReplicateClient::Options o;
        o.baseUrl = base;
        o.token = [] { return kToken; };
        // Our own overhead against the unlimited sandbox: Replicate's limits (600 creates a
        // minute) would otherwise be what this measures.
        o.clientRateLimits = false;
        client = std::make_unique<replicate::ReplicateClient>(o);
        timing = std::make_unique<TimingProvider>(*client);
        return true;
    }

    void makeEngine(Workflow workflow)
    {
        engine = std::make_unique<PipelineEngine>(*store, *timing, *downloader, std::move(workflow),
                                                  options, SteadyClock::instance());
        engine->follower().poller().setPolicy(fastPolls());
    }
};

QByteArray briefPayload(int n)
{
    const QJsonObject brief{
        {QStringLiteral("product_name"), QStringLiteral("Bench %1").arg(n)},
        {QStringLiteral("audience"), QStringLiteral("People who measure things")},
        {QStringLiteral("value_proposition"), QStringLiteral("Fast, durable and honest numbers")},
        {QStringLiteral("image"),
         QJsonObject{{QStringLiteral("aspect_ratio"), QStringLiteral("1:1")},
                     {QStringLiteral("count"), 1},
                     {QStringLiteral("output_format"), QStringLiteral("png")}}}};
    return QJsonDocument(brief).toJson(QJsonDocument::Compact);
}

Workflow singleStepWorkflow()
{
    StepDefinition step;
    step.name = QStringLiteral("line");
    step.title = QStringLiteral("One line");
    step.kind = StepKind::Text;
    step.model = kTextModel;
    step.inputTemplate =
        QByteArrayLiteral(R"({"prompt":"Write one line about {{brief.product_name}}.",)"
                          R"("max_tokens":32})");
    step.timeout = 300s;
    Workflow workflow;
    workflow.id = QStringLiteral("bench_single_step");
    workflow.title = QStringLiteral("Single step (benchmark)");
    workflow.steps = {step};
    return workflow;
}

/** Spins until @p settled reaches @p count or @p timeoutMs passes. */
bool runUntilSettled(PipelineEngine &engine, const int &settled, int count, int timeoutMs)
{
    QEventLoop loop;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&engine, &PipelineEngine::jobSettled, &loop, [&loop, &settled, count] {
        if (settled >= count)
            loop.quit();
    });
    guard.start(timeoutMs);
    engine.start();
    if (settled < count)
        loop.exec();
    return settled >= count;
}

QJsonObject throughput(const QUrl &base, int jobs)
{
    Rig rig;
    if (!rig.open(base))
        return {{QStringLiteral("error"), QStringLiteral("could not open the store")}};
    rig.options.maxConcurrentJobs = 64;
    rig.options.maxPredictionsInFlight = 64;
    const Workflow workflow = singleStepWorkflow();

    // Enqueue, as submitBrief would, in transactions of 500 jobs.
    const double enqueueStart = nowMs();
    for (int i = 0; i < jobs;) {
        auto batch = rig.store->beginBatch();
        if (!batch)
            return {{QStringLiteral("error"), batch.error().message}};
        for (int k = 0; k < 500 && i < jobs; ++k, ++i) {
            NewJob job;
            job.workflowType = workflow.id;
            job.inputPayload = briefPayload(i);
            job.stepNames = workflow.stepNames();
            if (auto created = rig.store->createJob(job); !created)
                return {{QStringLiteral("error"), created.error().message}};
        }
        if (auto committed = batch->commit(); !committed)
            return {{QStringLiteral("error"), committed.error().message}};
    }
    const double enqueueMs = nowMs() - enqueueStart;
    const qint64 rssQueuedKb = procStatusKb("VmRSS");

    rig.makeEngine(workflow);
    const bool hooked = hookCommits();
    const qint64 commitsBefore = commits();
    int settled = 0, succeeded = 0;
    QObject::connect(rig.engine.get(), &PipelineEngine::jobSettled, rig.engine.get(),
                     [&settled, &succeeded](const JobId &, JobStatus status) {
                         ++settled;
                         if (status == JobStatus::Succeeded)
                             ++succeeded;
                     });
    qint64 peakRssDuringKb = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&peakRssDuringKb] {
        peakRssDuringKb = qMax(peakRssDuringKb, procStatusKb("VmRSS"));
    });
    sampler.start(100);
    const double start = nowMs();
    const bool done = runUntilSettled(*rig.engine, settled, jobs, 600'000);
    const double runMs = nowMs() - start;
    sampler.stop();
    const qint64 commitCount = commits() - commitsBefore;
    rig.engine->stop();

    // Job latency: from the engine taking the job (its step started) to its step completed.
    std::vector<double> latencies;
    JobQuery all;
    all.limit = 0;
    if (const auto list = rig.store->jobs(all)) {
        for (const JobRecord &job : *list) {
            const auto steps = rig.store->steps(job.id);
            if (!steps || steps->isEmpty())
                continue;
            const StepRecord &s = steps->constFirst();
            if (s.startedAt.isValid() && s.completedAt.isValid())
                latencies.push_back(static_cast<double>(s.startedAt.msecsTo(s.completedAt)));
        }
    }
    return {
        {QStringLiteral("jobs"), jobs},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("finished"), done},
        {QStringLiteral("enqueue_ms"), round3(enqueueMs)},
        {QStringLiteral("enqueue_jobs_per_s"), round3(jobs / (enqueueMs / 1000.0))},
        {QStringLiteral("run_ms"), round3(runMs)},
        {QStringLiteral("jobs_per_s"), round3(succeeded / (runMs / 1000.0))},
        {QStringLiteral("job_latency_ms"), figures(latencies)},
        {QStringLiteral("job_latency_definition"),
         QStringLiteral("step started_at → completed_at as stored (ms resolution): the engine "
                        "took the job, wrote the intent, created, followed, stored the output")},
        {QStringLiteral("db_commits_per_job"),
         hooked ? round3(double(commitCount) / double(qMax(1, jobs))) : -1.0},
        {QStringLiteral("creates"), rig.timing->creates},
        {QStringLiteral("create_round_trip_ms"), figures(rig.timing->createRoundTrips)},
        {QStringLiteral("create_answer_handling_ms"), figures(rig.timing->createHandling)},
        {QStringLiteral("detection_lag_ms"), figures(rig.timing->detectionLags)},
        {QStringLiteral("gets_per_job"), round3(double(rig.timing->gets) / qMax(1, jobs))},
        {QStringLiteral("rss_with_jobs_queued_mb"), mb(rssQueuedKb)},
        {QStringLiteral("rss_peak_while_running_mb"), mb(peakRssDuringKb)},
        {QStringLiteral("vm_hwm_mb"), mb(procStatusKb("VmHWM"))},
    };
}

QJsonObject overhead(const QUrl &base, int pipelines)
{
    Rig rig;
    if (!rig.open(base))
        return {{QStringLiteral("error"), QStringLiteral("could not open the store")}};
    rig.options.maxConcurrentJobs = 1; // one pipeline at a time: nothing else competes
    auto loaded = builtinWorkflow(defaultWorkflowId());
    if (!loaded)
        return {{QStringLiteral("error"), QStringLiteral("no built-in workflow")}};
    Workflow workflow = std::move(loaded).value();
    for (int i = 0; i < pipelines; ++i) {
        NewJob job;
        job.workflowType = workflow.id;
        job.inputPayload = briefPayload(i);
        job.stepNames = workflow.stepNames();
        if (auto created = rig.store->createJob(job); !created)
            return {{QStringLiteral("error"), created.error().message}};
    }
    rig.makeEngine(workflow);
    int settled = 0, succeeded = 0;
    std::vector<double> settledAt;
    QObject::connect(rig.engine.get(), &PipelineEngine::jobSettled, rig.engine.get(),
                     [&](const JobId &, JobStatus status) {
                         ++settled;
                         settledAt.push_back(nowMs());
                         if (status == JobStatus::Succeeded)
                             ++succeeded;
                     });
    const double start = nowMs();
    const bool done = runUntilSettled(*rig.engine, settled, pipelines, 600'000);
    const double runMs = nowMs() - start;
    rig.engine->stop();

    const TimingProvider &t = *rig.timing;
    std::vector<double> transitions;
    for (const auto &tr : t.transitions)
        transitions.push_back(tr.ms);
    // Per step: the engine's time inside the create's answer plus, for the steps after the
    // first, the hand-over from the previous step (final seen → this create sent).
    std::vector<double> perStep = t.createHandling;
    for (size_t i = 0; i < perStep.size(); ++i) {
        // createHandling is in create order; every pipeline has 3 creates, the 2nd and 3rd
        // are preceded by a transition (transitions are in order too).
        const size_t step = i % 3;
        const size_t pipeline = i / 3;
        const size_t ti = pipeline * 2 + step - 1;
        if (step > 0 && ti < transitions.size())
            perStep[i] += transitions[ti];
    }
    std::vector<double> imageToSettled;
    for (size_t i = 0; i < t.imageFinalSeen.size() && i < settledAt.size(); ++i)
        imageToSettled.push_back(settledAt[i] - t.imageFinalSeen[i]);
    return {
        {QStringLiteral("pipelines"), pipelines},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("finished"), done},
        {QStringLiteral("run_ms"), round3(runMs)},
        {QStringLiteral("definition"),
         QStringLiteral(
             "per_step_overhead_ms: time the engine's own code takes per model step, one "
             "pipeline at a time, model time 0. For each step it is (a) the time inside the "
             "create's answer callback (store the prediction id, start following) plus, for "
             "steps 2 and 3, (b) the hand-over: from the moment the provider's answer showing "
             "the previous prediction final is handed to the engine, to the moment the next "
             "create request is handed to the HTTP client — storing the previous output and "
             "events, checking it, rendering the next input and committing its intent at "
             "synchronous=FULL. Network round trips, polling (detection lag) and the image "
             "download are not included; they are reported separately.")},
        {QStringLiteral("per_step_overhead_ms"), figures(perStep)},
        {QStringLiteral("handover_ms"), figures(transitions)},
        {QStringLiteral("create_answer_handling_ms"), figures(t.createHandling)},
        {QStringLiteral("create_round_trip_ms"), figures(t.createRoundTrips)},
        {QStringLiteral("detection_lag_ms"), figures(t.detectionLags)},
        {QStringLiteral("detection_lag_definition"),
         QStringLiteral("sandbox completed_at → our GET saw the final state (ms resolution, "
                        "with a 1 ms first poll and 2 ms minimum interval)")},
        {QStringLiteral("image_final_to_job_settled_ms"), figures(imageToSettled)},
        {QStringLiteral("image_final_to_job_settled_definition"),
         QStringLiteral("image prediction seen final → job succeeded: includes downloading "
                        "the image over loopback, decoding and hashing it, and the store step")},
        {QStringLiteral("gets_per_pipeline"), round3(double(t.gets) / qMax(1, pipelines))},
    };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    monotonic();
    int jobs = 10'000;
    int pipelines = 200;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--quick")) {
            jobs = 300;
            pipelines = 20;
        } else if (args.at(i) == QLatin1String("--jobs") && i + 1 < args.size()) {
            jobs = qMax(1, args.at(++i).toInt());
        } else if (args.at(i) == QLatin1String("--pipelines") && i + 1 < args.size()) {
            pipelines = qMax(1, args.at(++i).toInt());
        } else {
            std::fprintf(stderr, "usage: bench_engine [--quick] [--jobs N] [--pipelines M]\n");
            return 2;
        }
    }

    SandboxProcess sandbox;
    if (!sandbox.start({QStringLiteral("--latency-ms"), QStringLiteral("0")})) {
        std::fprintf(stderr, "the sandbox did not start\n");
        return 1;
    }
    sandbox.call("POST", QStringLiteral("/__control/rate-limits"),
                 {{QStringLiteral("enabled"), false}});

    const QJsonObject through = throughput(sandbox.base, jobs);
    const QJsonObject over = overhead(sandbox.base, pipelines);
    const double jobsPerS = through.value(QStringLiteral("jobs_per_s")).toDouble();
    const QJsonObject perStep = over.value(QStringLiteral("per_step_overhead_ms")).toObject();
    const double hwm = through.value(QStringLiteral("vm_hwm_mb")).toDouble();

    const QJsonObject result{
        {QStringLiteral("benchmark"), QStringLiteral("engine")},
        {QStringLiteral("sandbox"),
         QStringLiteral("separate process: brieflow-cli sandbox --latency-ms 0, rate limits off")},
        {QStringLiteral("engine"),
         QStringLiteral("PipelineEngine on this process's main thread; throughput: 64 jobs / "
                        "64 predictions at once, poll budget 5000/s, first poll 1 ms")},
        {QStringLiteral("throughput"), through},
        {QStringLiteral("overhead"), over},
        {QStringLiteral("targets"),
         QJsonObject{
             {QStringLiteral("jobs_per_s_min"), 500},
             {QStringLiteral("per_step_p50_ms_max"), 2},
             {QStringLiteral("per_step_p99_ms_max"), 10},
             {QStringLiteral("peak_rss_mb_max"), 150},
             {QStringLiteral("met"),
              QJsonObject{
                  {QStringLiteral("jobs_per_s"), jobsPerS >= 500},
                  {QStringLiteral("per_step_p50"),
                   perStep.value(QStringLiteral("p50")).toDouble() <= 2},
                  {QStringLiteral("per_step_p99"),
                   perStep.value(QStringLiteral("p99")).toDouble() <= 10},
                  {QStringLiteral("peak_rss"), hwm <= 150},
              }},
             {QStringLiteral("note"),
              QStringLiteral("targets are for --jobs 10000; --quick is a smoke run")},
         }},
    };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    const bool ok = through.value(QStringLiteral("succeeded")).toInt() == jobs
                    && over.value(QStringLiteral("succeeded")).toInt() == pipelines;
    return ok ? 0 : 1;
}
