// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench_gui: the desktop app's responsiveness with a big store and a busy engine (issue 5 §5),
// printing one JSON object.
//  - seed: --jobs N jobs (default 100,000) written through JobStore in one batch: all but
//    --backlog of them ended (succeeded, failed, canceled), the rest pending.
//  - start-up: from opening the stores to the first moment the event loop is idle after the
//    queue has painted with rows ("usable"). Target ≤ 1 s. First paint of the queue: from
//    creating the main window to the queue view's first paint with rows. Target ≤ 300 ms.
//  - lateness: the real MainWindow over that store while the real engine (EngineHost, its own
//    thread) keeps --active M jobs (default 100) processing against `brieflow-cli sandbox` in
//    its own process (--latency-ms per prediction, default 2000); a LagMonitor heartbeat (5 ms)
//    on the GUI thread for --seconds S (default 15), while a scripted "user" scrolls the queue a
//    page every 400 ms and selects a processing job every 1.5 s (the job detail follows it).
//    Targets: p99 ≤ 16 ms, max ≤ 50 ms.
// Usage: bench_gui [--quick] [--jobs N] [--active M] [--backlog B] [--seconds S]
//                  [--latency-ms MS]
// Runs offscreen unless QT_QPA_PLATFORM says otherwise.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include "benchmarks/benchsupport.h"
#include "core/app/jobsubmission.h"
#include "core/brief/brief.h"
#include "core/brief/briefjson.h"
#include "core/paths.h"
#include "core/pipeline/enginehost.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "ui/mainwindow.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/shell/lagmonitor.h"

#include <execinfo.h>
#include <pthread.h>
#include <unistd.h>

using namespace brieflow;
using brieflow::bench::SandboxProcess;
using brieflow::bench::waitUntil;
using namespace std::chrono_literals;

namespace {

double round1(double v)
{
    return static_cast<double>(qRound64(v * 10.0)) / 10.0;
}

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_gui: %s\n", qPrintable(message));
    std::fflush(stderr);
    std::exit(1);
}

/** Counts paints of a widget, noting when the first one with rows in the model happened. */
class PaintWatch final : public QObject {
public:
    PaintWatch(QAbstractItemView *view, const QElapsedTimer &clock)
        : m_view(view)
        , m_clock(clock)
    {
        view->viewport()->installEventFilter(this);
    }
    qint64 firstPaintWithRowsNs = -1;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && firstPaintWithRowsNs < 0 && m_view->model()
            && m_view->model()->rowCount() > 0)
            firstPaintWithRowsNs = m_clock.nsecsElapsed();
        return QObject::eventFilter(watched, event);
    }

private:
    QAbstractItemView *m_view;
    const QElapsedTimer &m_clock;
};

const char *const kProducts[] = {"TrailLite 2",   "Café Ñandú",    "NoteKeeper",  "AquaPure Bottle",
                                 "Lumen Desk",    "Orbit Earbuds", "Field Notes", "Sprout Box",
                                 "Nimbus Jacket", "Pico Drone"};

Brief seedBrief(int i)
{
    Brief b;
    b.productName = QStringLiteral("%1 #%2").arg(QString::fromUtf8(kProducts[i % 10])).arg(i);
    b.audience = QStringLiteral("Busy professionals who want less clutter");
    b.valueProposition = QStringLiteral("Does one thing well and gets out of the way.");
    b.tone = QStringLiteral("warm, confident");
    b.image.aspectRatio = QStringLiteral("16:9");
    b.image.count = 1;
    return b;
}

/** N jobs in one batch: the first N - backlog ended, the rest pending (queued last). */
qint64 seedStore(JobStore &store, int jobs, int backlog)
{
    QElapsedTimer t;
    t.start();
    auto batch = store.beginBatch();
    if (!batch)
        die(batch.error().message);
    NewJob job;
    job.workflowType = CampaignWorkflow::type();
    job.stepNames = CampaignWorkflow::stepNames();
    for (int i = 0; i < jobs; ++i) {
        job.inputPayload = briefToJson(seedBrief(i));
        auto created = store.createJob(job);
        if (!created)
            die(created.error().message);
        if (i >= jobs - backlog)
            continue;
        JobState state;
        switch (i % 20) {
        case 17:
        case 18:
            state.status = JobStatus::Failed;
            state.currentStep = QStringLiteral("image");
            state.errorType = QStringLiteral("model_error");
            state.errorMessage = QStringLiteral("NSFW content detected.");
            break;
        case 19:
            state.status = JobStatus::Canceled;
            state.currentStep = QStringLiteral("image_prompt");
            break;
        default:
            state.status = JobStatus::Succeeded;
            break;
        }
        if (auto updated = store.updateJobState(created->id, state); !updated)
            die(updated.error().message);
    }
    if (auto committed = batch->commit(); !committed)
        die(committed.error().message);
    return t.elapsed();
}

QJsonObject figuresJson(const ui::LagMonitor::Figures &f)
{
    return QJsonObject{
        {QStringLiteral("beats"), f.beats},
        {QStringLiteral("interval_ms"), f.intervalMs},
        {QStringLiteral("p50_ms"), round1(f.p50Ms)},
        {QStringLiteral("p90_ms"), round1(f.p90Ms)},
        {QStringLiteral("p99_ms"), round1(f.p99Ms)},
        {QStringLiteral("max_ms"), round1(f.maxMs)},
        {QStringLiteral("over_16ms"), f.over16Ms},
        {QStringLiteral("over_50ms"), f.over50Ms},
        {QStringLiteral("over_100ms"), f.over100Ms},
        {QStringLiteral("measured_ms"), round1(f.elapsedMs)},
    };
}

int countStatus(JobStore &store, JobStatus status)
{
    JobQuery query;
    query.status = status;
    auto n = store.countJobs(query);
    return n ? *n : -1;
}

/**
 * --stall-report MS: when the GUI thread has not run a 5 ms timer for MS, a watchdog thread
 * signals it and the handler writes the GUI thread's stack to standard error (once per stall).
 * Addresses in bench_gui itself resolve with `addr2line -Cfe bench_gui OFFSET` or gdb.
 */
class StallReporter {
public:
    explicit StallReporter(int thresholdMs)
        : m_thresholdNs(qint64(thresholdMs) * 1'000'000)
    {
        void *warm[4];
        backtrace(warm, 4); // loads the unwinder now, not inside the signal handler
        s_gui = pthread_self();
        std::signal(SIGUSR2, &StallReporter::dump);
        m_clock.start();
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout,
                         [this] { m_lastBeatNs.store(m_clock.nsecsElapsed()); });
        m_timer.start(5);
        m_watchdog = std::thread([this] {
            bool reported = false;
            while (!m_stop.load()) {
                std::this_thread::sleep_for(10ms);
                const qint64 late = m_clock.nsecsElapsed() - m_lastBeatNs.load();
                if (late > m_thresholdNs && !reported) {
                    reported = true;
                    ++stalls;
                    pthread_kill(s_gui, SIGUSR2);
                } else if (late < m_thresholdNs && reported) {
                    reported = false;
                    // The stall has ended: how long the GUI thread went without a beat.
                    const qint64 gapNs = m_lastBeatNs.load() - m_beatBeforeNs;
                    std::fprintf(stderr, "bench_gui: that stall lasted %.1f ms\n",
                                 static_cast<double>(gapNs) / 1e6);
                }
                if (!reported)
                    m_beatBeforeNs = m_lastBeatNs.load();
            }
        });
    }
    ~StallReporter()
    {
        m_stop.store(true);
        m_watchdog.join();
    }
    std::atomic<int> stalls{0};

private:
    static void dump(int)
    {
        static const char header[] = "bench_gui: GUI thread stalled, its stack:\n";
        (void)!write(STDERR_FILENO, header, sizeof header - 1);
        void *frames[64];
        const int n = backtrace(frames, 64);
        backtrace_symbols_fd(frames, n, STDERR_FILENO);
    }
    static inline pthread_t s_gui{};
    qint64 m_thresholdNs;
    QElapsedTimer m_clock;
    QTimer m_timer;
    std::atomic<qint64> m_lastBeatNs{0};
    qint64 m_beatBeforeNs = 0; ///< the last beat before a stall (watchdog thread only)
    std::atomic<bool> m_stop{false};
    std::thread m_watchdog;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Brieflow bench_gui"));
    QApplication::setOrganizationName(QStringLiteral("Brieflow"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Smoke run: 2,000 jobs, 10 active, 3 s."));
    const QCommandLineOption jobsOpt(QStringLiteral("jobs"), QStringLiteral("Jobs in the store."),
                                     QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption activeOpt(QStringLiteral("active"),
                                       QStringLiteral("Jobs the engine runs at once."),
                                       QStringLiteral("M"), QStringLiteral("100"));
    const QCommandLineOption backlogOpt(
        QStringLiteral("backlog"),
        QStringLiteral("Pending jobs seeded (default 4 x active, so M stay active throughout)."),
        QStringLiteral("B"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                        QStringLiteral("Lateness measurement time."),
                                        QStringLiteral("S"), QStringLiteral("15"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency-ms"),
                                        QStringLiteral("Sandbox time per prediction."),
                                        QStringLiteral("MS"), QStringLiteral("2000"));
    const QCommandLineOption noScroll(QStringLiteral("no-scroll"),
                                      QStringLiteral("The scripted user doesn't scroll."));
    const QCommandLineOption noSelect(QStringLiteral("no-select"),
                                      QStringLiteral("The scripted user doesn't select jobs."));
    const QCommandLineOption stallReport(
        QStringLiteral("stall-report"),
        QStringLiteral("Print the GUI thread's stack when it stalls for MS (diagnosis)."),
        QStringLiteral("MS"));
    parser.addOptions({quick, jobsOpt, activeOpt, backlogOpt, secondsOpt, latencyOpt, noScroll,
                       noSelect, stallReport});
    parser.process(app);

    const bool isQuick = parser.isSet(quick);
    const int jobs = isQuick && !parser.isSet(jobsOpt) ? 2000 : parser.value(jobsOpt).toInt();
    const int active = isQuick && !parser.isSet(activeOpt) ? 10 : parser.value(activeOpt).toInt();
    const int backlog = parser.isSet(backlogOpt) ? parser.value(backlogOpt).toInt() : 4 * active;
    const int seconds = isQuick && !parser.isSet(secondsOpt) ? 3 : parser.value(secondsOpt).toInt();
    const int latencyMs = parser.value(latencyOpt).toInt();
    if (jobs < backlog || active < 1 || seconds < 1)
        die(QStringLiteral("need --jobs >= --backlog, --active >= 1, --seconds >= 1"));

    QTemporaryDir dir;
    if (!dir.isValid())
        die(QStringLiteral("no temporary folder"));
    const Paths paths = Paths::resolve({dir.path(), false, false});
    if (const QString failed = paths.ensureExists(); !failed.isEmpty())
        die(QStringLiteral("can't create ") + failed);

    // --- seed (its own connection, closed before the app's stores open) -----------------------
    qint64 seedMs = 0;
    {
        auto seeder = JobStore::open(paths.databaseFile(), JobStore::Mode::Writer);
        if (!seeder)
            die(seeder.error().message);
        seedMs = seedStore(*seeder.value(), jobs, backlog);
    }

    SandboxProcess sandbox;
    if (!sandbox.start({QStringLiteral("--latency-ms"), QString::number(latencyMs)}))
        die(QStringLiteral("brieflow-cli sandbox did not start"));

    // --- start-up: stores, settings, engine host (not started), window, first paint -----------
    QElapsedTimer startup;
    startup.start();
    auto writer = JobStore::open(paths.databaseFile(), JobStore::Mode::Writer);
    auto reader = JobStore::open(paths.databaseFile(), JobStore::Mode::Reader);
    if (!writer || !reader)
        die(QStringLiteral("can't open the seeded store"));
    Settings settings(paths.settingsFile());
    EngineHost::Config config;
    config.databaseFile = paths.databaseFile();
    config.outputsDir = paths.outputsDir();
    config.apiBaseUrl = sandbox.base;
    config.token = [] { return QStringLiteral("r8_BenchmarkToken000000000000000000000000"); };
    config.options.outputPolicy.allowLoopback = true;
    config.options.maxConcurrentJobs = active;
    config.options.maxPredictionsInFlight = active;
    config.options.pollBudgetPerSecond = std::max(40.0, active * 2.0);
    EngineHost engine(std::move(config));

    ui::MainWindow::Services services;
    services.writer = writer.value().get();
    services.reader = reader.value().get();
    services.settings = &settings;
    services.paths = paths;
    services.engine = &engine;
    const qint64 windowStartNs = startup.nsecsElapsed();
    ui::MainWindow window(services);
    QTableView *queue = window.queueView();
    if (!queue)
        die(QStringLiteral("the main window has no queue view"));
    PaintWatch paints(queue, startup);
    window.resize(1600, 1000);
    window.show();
    qint64 usableNs = -1;
    waitUntil([&] { return paints.firstPaintWithRowsNs >= 0; }, 20000);
    // Usable: the first time the event loop gets to a zero timer after that paint.
    QTimer::singleShot(0, &window, [&] { usableNs = startup.nsecsElapsed(); });
    waitUntil([&] { return usableNs >= 0; }, 20000);

    // --- the engine keeps `active` jobs processing; wait until it does ------------------------
    JobStore &db = *reader.value();
    const int failedBefore = countStatus(db, JobStatus::Failed);
    engine.start();
    QElapsedTimer rampUp;
    rampUp.start();
    const bool ramped =
        waitUntil([&] { return countStatus(db, JobStatus::Processing) >= active; }, 30000);
    const qint64 rampMs = rampUp.elapsed();

    // --- lateness while a scripted user scrolls and selects ------------------------------------
    ui::LagMonitor lag(5ms);
    int minActive = active;
    int maxActive = 0;
    int scrolls = 0;
    int selections = 0;
    QTimer sampleActive;
    QObject::connect(&sampleActive, &QTimer::timeout, [&] {
        const int n = countStatus(db, JobStatus::Processing);
        minActive = std::min(minActive, n);
        maxActive = std::max(maxActive, n);
    });
    QTimer scroller;
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        QScrollBar *bar = queue->verticalScrollBar();
        const int next = bar->value() + bar->pageStep();
        bar->setValue(next > bar->maximum() ? 0 : next);
        ++scrolls;
    });
    QTimer selector;
    QObject::connect(&selector, &QTimer::timeout, [&] {
        // The first rows are the pending and processing ones (default sort: queue order).
        auto *model = queue->model();
        if (model->rowCount() == 0)
            return;
        queue->setCurrentIndex(model->index(selections % std::min(active, model->rowCount()), 0));
        ++selections;
    });
    const int succeededBefore = countStatus(db, JobStatus::Succeeded);
    std::unique_ptr<StallReporter> stalls;
    if (parser.isSet(stallReport))
        stalls = std::make_unique<StallReporter>(parser.value(stallReport).toInt());
    lag.start();
    sampleActive.start(500);
    if (!parser.isSet(noScroll))
        scroller.start(400);
    if (!parser.isSet(noSelect))
        selector.start(1500);
    waitUntil([] { return false; }, seconds * 1000);
    const ui::LagMonitor::Figures figures = lag.figures();
    lag.stop();
    stalls.reset();
    sampleActive.stop();
    scroller.stop();
    selector.stop();
    const int finished = countStatus(db, JobStatus::Succeeded) - succeededBefore;
    const int failed = countStatus(db, JobStatus::Failed) - failedBefore;

    const double startupMs = static_cast<double>(usableNs) / 1e6;
    const double firstPaintMs =
        static_cast<double>(paints.firstPaintWithRowsNs - windowStartNs) / 1e6;
    const QJsonObject result{
        {QStringLiteral("benchmark"), QStringLiteral("bench_gui")},
        {QStringLiteral("platform"), QGuiApplication::platformName()},
        {QStringLiteral("jobs_in_store"), jobs},
        {QStringLiteral("active_target"), active},
        {QStringLiteral("seed_ms"), seedMs},
        {QStringLiteral("startup_to_usable_ms"), round1(startupMs)},
        {QStringLiteral("first_queue_paint_ms"), round1(firstPaintMs)},
        {QStringLiteral("engine_ramp_up_ms"), rampMs},
        {QStringLiteral("engine_reached_active"), ramped},
        {QStringLiteral("active_during_window"),
         QJsonObject{{QStringLiteral("min"), minActive}, {QStringLiteral("max"), maxActive}}},
        {QStringLiteral("jobs_succeeded_during_window"), finished},
        {QStringLiteral("jobs_failed_since_engine_start"), failed},
        {QStringLiteral("user_script"), QJsonObject{{QStringLiteral("scrolls"), scrolls},
                                                    {QStringLiteral("selections"), selections}}},
        {QStringLiteral("lateness"), figuresJson(figures)},
        {QStringLiteral("targets"), QJsonObject{{QStringLiteral("lateness_p99_ms"), 16},
                                                {QStringLiteral("lateness_max_ms"), 50},
                                                {QStringLiteral("first_queue_paint_ms"), 300},
                                                {QStringLiteral("startup_to_usable_ms"), 1000}}},
        {QStringLiteral("meets_targets"),
         QJsonObject{
             {QStringLiteral("lateness_p99"), figures.p99Ms <= 16.0},
             {QStringLiteral("lateness_max"), figures.maxMs <= 50.0},
             {QStringLiteral("first_queue_paint"), firstPaintMs >= 0 && firstPaintMs <= 300.0},
             {QStringLiteral("startup"), usableNs >= 0 && startupMs <= 1000.0}}},
    };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    window.close();
    return 0;
}
