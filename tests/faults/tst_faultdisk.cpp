// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F7 (reliability-performance.md §8): the disk fills up during an output download and, separately,
// during database writes — a real full disk: a small tmpfs mounted in a private mount namespace
// (unshare; root or an unprivileged user namespace), filled with a filler file until write()
// says ENOSPC. Where no namespace can be made the download case is skipped and the database
// case uses SQLite's max_page_count (SQLITE_FULL), and the JSON line says so.
//
// Download: the outputs folder is the full volume; every job's image step must show "The disk is
// full …" in the store while the job stays processing, with no partial file and no output row;
// once the filler is deleted the jobs finish by themselves (no retry by the user, nothing
// created again). Database: the database and outputs share the volume, which fills at a random
// moment of the run; the engine must report "The disk is full …" and, once there is space, finish
// every job. Both: PRAGMA integrity_check ok, no temporary files, every prediction created exactly
// once and owned by one call row, every stored file's SHA-256 equal to what the sandbox served.
// CI: 10 trials each; BRIEFLOW_FAULTS_LONG=1: 50.
#include <cerrno>
#include <cstring>

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include "tests/faults/faultrig.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

constexpr int kJobsPerTrial = 2;
constexpr int kStepsWithPredictions = 3; ///< concept, image prompt, image
const QString kDiskFull = QStringLiteral("The disk is full");

bool g_canMount = false;

bool writeFile(const char *path, const QByteArray &text)
{
    const int fd = ::open(path, O_WRONLY);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.constData(), size_t(text.size())) == text.size();
    ::close(fd);
    return ok;
}

/**
 * Moves this (still single-threaded) process into its own mount namespace, as root or through
 * an unprivileged user namespace, so it can mount tmpfs volumes nobody else sees. They go away
 * with the process.
 */
bool enterPrivateMountNamespace()
{
    bool entered = ::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0;
    if (!entered) {
        const uid_t uid = ::getuid();
        const gid_t gid = ::getgid();
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return false;
        writeFile("/proc/self/setgroups", "deny");
        if (!writeFile("/proc/self/uid_map", "0 " + QByteArray::number(uid) + " 1")
            || !writeFile("/proc/self/gid_map", "0 " + QByteArray::number(gid) + " 1"))
            return false;
        entered = true;
    }
    return entered && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

/** A small tmpfs at @p path (created if missing), filled and freed on demand. */
class SmallVolume {
public:
    SmallVolume(const QString &path, qint64 bytes)
        : m_path(path)
    {
        QDir().mkpath(path);
        const QByteArray options = "size=" + QByteArray::number(bytes) + ",mode=0700";
        m_mounted = ::mount("brieflow-faultdisk", QFile::encodeName(path).constData(), "tmpfs",
                            MS_NOSUID | MS_NODEV, options.constData())
                    == 0;
        if (!m_mounted)
            qWarning("tmpfs at %s: %s", qPrintable(path), std::strerror(errno));
    }
    ~SmallVolume()
    {
        if (m_mounted)
            ::umount2(QFile::encodeName(m_path).constData(), MNT_DETACH);
    }
    SmallVolume(const SmallVolume &) = delete;
    SmallVolume &operator=(const SmallVolume &) = delete;

    bool isMounted() const { return m_mounted; }
    /** Writes a filler file until the volume says ENOSPC; returns its size. */
    qint64 fill()
    {
        const QByteArray file = QFile::encodeName(m_path + QStringLiteral("/.filler"));
        const int fd = ::open(file.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0)
            return -1;
        const QByteArray block(64 * 1024, '\0');
        qint64 total = 0;
        for (;;) {
            const ssize_t n = ::write(fd, block.constData(), size_t(block.size()));
            if (n <= 0)
                break;
            total += n;
        }
        const int error = errno;
        ::close(fd);
        m_full = error == ENOSPC;
        return total;
    }
    /** Whether the last fill() ended with ENOSPC. */
    bool isFull() const { return m_full; }
    void free() { QFile::remove(m_path + QStringLiteral("/.filler")); }

private:
    QString m_path;
    bool m_mounted = false;
    bool m_full = false;
};

sandbox::SandboxConfig sandboxConfig(quint64 seed)
{
    sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests();
    config.seed = seed;
    config.imageLongSide = 128;
    config.textLatency = sandbox::LatencyDistribution{0, 10, 10, 40};
    config.imageLatency = sandbox::LatencyDistribution{0, 10, 20, 60};
    return config;
}

OutputPolicy fastPolicy(const EngineRig &rig)
{
    OutputPolicy policy = rig.options.outputPolicy;
    policy.diskFullRecheck = 100ms;
    policy.timeout = 5s;
    return policy;
}

/** Waits (spinning the event loop) until @p done or @p timeoutMs; returns done(). */
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    return QTest::qWaitFor(done, timeoutMs);
}

/** What every trial checks once the jobs are done; misses go to @p misses. */
struct Outcome {
    int jobsSucceeded = 0;
    int storedFiles = 0;
    int shaMismatches = 0;
    int strayTemporaryFiles = 0;
    int integrityFailures = 0;
    CreateAudit audit;
};

Outcome checkFinished(EngineRig &rig, const QList<JobId> &jobs, const QString &outputsDir,
                      QStringList &misses, const QString &trial)
{
    Outcome o;
    for (const JobId &job : jobs) {
        if (rig.status(job) == QLatin1String("succeeded"))
            ++o.jobsSucceeded;
        else
            misses << trial + QStringLiteral(": job %1 is %2").arg(job.toString(), rig.status(job));
        const QList<OutputRecord> outputs = rig.store->outputs(job).value();
        for (const OutputRecord &output : outputs) {
            ++o.storedFiles;
            QFile file(output.filePath);
            const QByteArray bytes = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
            const QString onDisk = QString::fromLatin1(
                QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
            bool served = false;
            for (const sandbox::Prediction *p : rig.server->predictions()) {
                for (const sandbox::OutputFile &f : p->files)
                    served = served || f.sha256 == output.sha256;
            }
            if (onDisk != output.sha256 || !served) {
                ++o.shaMismatches;
                misses << trial + QStringLiteral(": %1 does not match").arg(output.filePath);
            }
        }
    }
    const QDir partial(outputsDir + QStringLiteral("/.partial"));
    o.strayTemporaryFiles =
        partial.exists() ? int(partial.entryList(QDir::Files | QDir::Hidden | QDir::System).size())
                         : 0;
    if (o.strayTemporaryFiles > 0)
        misses << trial + QStringLiteral(": %1 temporary files left").arg(o.strayTemporaryFiles);
    if (const auto integrity = rig.store->integrityCheck(); !integrity) {
        ++o.integrityFailures;
        misses << trial + QStringLiteral(": ") + integrity.error().logText();
    }
    o.audit = CreateAudit::of(rig, jobs);
    if (!o.audit.clean() || o.audit.predictionsCreated != kStepsWithPredictions * int(jobs.size()))
        misses << trial
                      + QStringLiteral(": %1 predictions created, %2 duplicates, %3 orphans")
                            .arg(o.audit.predictionsCreated)
                            .arg(o.audit.duplicates)
                            .arg(o.audit.orphans);
    return o;
}

/** Sums of the per-trial outcomes for the JSON line. */
struct Totals {
    int trials = 0;
    int diskFullShown = 0;
    int resumed = 0;
    int jobs = 0;
    int storedFiles = 0;
    int shaMismatches = 0;
    int strayTemporaryFiles = 0;
    int integrityFailures = 0;
    int predictionsCreated = 0;
    int duplicates = 0;
    int orphans = 0;
    int sharedIds = 0;
    QList<qint64> resumeMs;

    void add(const Outcome &o)
    {
        resumed += o.jobsSucceeded == kJobsPerTrial ? 1 : 0;
        jobs += o.jobsSucceeded;
        storedFiles += o.storedFiles;
        shaMismatches += o.shaMismatches;
        strayTemporaryFiles += o.strayTemporaryFiles;
        integrityFailures += o.integrityFailures;
        predictionsCreated += o.audit.predictionsCreated;
        duplicates += o.audit.duplicates;
        orphans += o.audit.orphans;
        sharedIds += o.audit.sharedIds;
    }
    QJsonObject json() const
    {
        return {{QStringLiteral("trials"), trials},
                {QStringLiteral("disk_full_shown"), diskFullShown},
                {QStringLiteral("resumed"), resumed},
                {QStringLiteral("jobs_succeeded"), jobs},
                {QStringLiteral("stored_files"), storedFiles},
                {QStringLiteral("sha_mismatches"), shaMismatches},
                {QStringLiteral("stray_temporary_files"), strayTemporaryFiles},
                {QStringLiteral("integrity_failures"), integrityFailures},
                {QStringLiteral("predictions_created"), predictionsCreated},
                {QStringLiteral("duplicate_predictions"), duplicates},
                {QStringLiteral("orphan_predictions"), orphans},
                {QStringLiteral("shared_prediction_ids"), sharedIds},
                {QStringLiteral("resume_ms"), Percentiles::of(resumeMs).json()}};
    }
};

} // namespace

class TestFaultDisk : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void diskFullDuringDownload();
    void diskFullDuringDatabaseWrites();
    void cleanupTestCase();

private:
    QJsonObject m_report;
    int m_trials = 0;
};

void TestFaultDisk::initTestCase()
{
    m_trials = faultsCount(10, 50);
    m_report.insert(QStringLiteral("mechanism"),
                    g_canMount ? QStringLiteral("tmpfs") : QStringLiteral("sqlite_max_page_count"));
}

void TestFaultDisk::cleanupTestCase()
{
    printFaultReport(QStringLiteral("disk_full"), m_report);
}

void TestFaultDisk::diskFullDuringDownload()
{
    if (!g_canMount)
        QSKIP("No private mount namespace here (neither root nor user namespaces): a full outputs "
              "volume next to a working database needs a small tmpfs. The database case still "
              "runs, with SQLite's max_page_count.");
    Totals totals;
    QStringList misses;
    QRandomGenerator random(7);
    int writesWhileWaiting = 0;
    for (int trial = 0; trial < m_trials; ++trial) {
        const QString name = QStringLiteral("download trial %1").arg(trial);
        EngineRig rig(sandboxConfig(quint64(trial) + 1));
        rig.options.storeRecheck = 100ms;
        const QString outputsDir = rig.dir.paths().outputsDir();
        SmallVolume volume(outputsDir, 2 * 1024 * 1024);
        QVERIFY(volume.isMounted());
        const OutputPolicy policy = fastPolicy(rig);
        rig.downloader = std::make_unique<OutputDownloader>(*rig.storage, policy);
        QList<JobId> jobs;
        for (int k = 0; k < kJobsPerTrial; ++k)
            jobs << submitVariant(rig, trial * 10 + k);

        // Full before the images arrive (the text steps still write to the database elsewhere).
        volume.fill();
        QVERIFY(volume.isFull());
        rig.makeEngine();
        rig.engine->start();

        // Every image step shows the full disk in plain words; nothing half-written is around.
        const auto showsDiskFull = [&rig](const JobId &job) {
            const StepRecord image = rig.step(job, QStringLiteral("image"));
            return image.errorType == toString(OutputError::Kind::Storage)
                   && image.errorMessage.startsWith(kDiskFull);
        };
        const bool shown =
            waitFor([&] { return std::all_of(jobs.cbegin(), jobs.cend(), showsDiskFull); }, 20'000);
        if (shown)
            ++totals.diskFullShown;
        else
            misses << name + QStringLiteral(": no \"disk is full\" message");
        for (const JobId &job : jobs) {
            if (rig.status(job) != QLatin1String("processing"))
                misses << name
                              + QStringLiteral(": job is %1 while the disk is full")
                                    .arg(rig.status(job));
            if (!rig.store->outputs(job).value().isEmpty())
                misses << name + QStringLiteral(": an output row while the disk is full");
        }
        // A few re-checks while it stays full: still waiting, nothing created again, and nothing
        // written either (the error was shown once).
        const auto eventCount = [&rig, &jobs] {
            qsizetype n = 0;
            for (const JobId &job : jobs)
                n += rig.store->events(job).value().size();
            return n;
        };
        const qsizetype eventsBefore = eventCount();
        QTest::qWait(300 + int(random.bounded(300)));
        writesWhileWaiting += int(eventCount() - eventsBefore);
        if (rig.server->stats().predictionsCreated != kStepsWithPredictions * kJobsPerTrial)
            misses << name + QStringLiteral(": predictions created again while waiting");

        // Space again: the jobs finish by themselves.
        QElapsedTimer sinceFreed;
        sinceFreed.start();
        volume.free();
        const bool finished = waitFor(
            [&] {
                return std::all_of(jobs.cbegin(), jobs.cend(), [&rig](const JobId &job) {
                    return rig.status(job) != QLatin1String("processing")
                           && rig.status(job) != QLatin1String("pending");
                });
            },
            20'000);
        totals.resumeMs << sinceFreed.elapsed();
        if (!finished)
            misses << name + QStringLiteral(": did not finish after space was freed");
        QVERIFY(rig.runUntilIdle(10'000));
        totals.add(checkFinished(rig, jobs, outputsDir, misses, name));
        ++totals.trials;
        rig.engine.reset();
    }
    QJsonObject json = totals.json();
    json.insert(QStringLiteral("misses"), int(misses.size()));
    json.insert(QStringLiteral("events_written_while_full"), writesWhileWaiting);
    m_report.insert(QStringLiteral("download"), json);
    QVERIFY2(misses.isEmpty(), qPrintable(misses.join(QLatin1Char('\n'))));
    QCOMPARE(totals.resumed, m_trials);
    QCOMPARE(writesWhileWaiting, 0);
}

void TestFaultDisk::diskFullDuringDatabaseWrites()
{
    Totals totals;
    QStringList misses;
    QRandomGenerator random(11);
    int attempts = 0;
    int fullBeforeDone = 0;
    int databaseWriteFailures = 0;
    while (totals.trials < m_trials && attempts < 4 * m_trials) {
        ++attempts;
        const QString name = QStringLiteral("database trial %1").arg(attempts);
        EngineRig rig(sandboxConfig(quint64(attempts) + 100));
        rig.options.storeRecheck = 100ms;
        // The database and the outputs on one small volume.
        QTemporaryDir root;
        QVERIFY(root.isValid());
        std::optional<SmallVolume> volume;
        QString dataDir = root.path();
        if (g_canMount) {
            volume.emplace(root.filePath(QStringLiteral("volume")), 8 * 1024 * 1024);
            QVERIFY(volume->isMounted());
            dataDir = root.filePath(QStringLiteral("volume"));
        }
        const QString outputsDir = dataDir + QStringLiteral("/outputs");
        auto opened =
            JobStore::open(dataDir + QStringLiteral("/brieflow.sqlite3"), JobStore::Mode::Writer);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().logText()));
        rig.store = std::move(opened).value();
        rig.storage = std::make_unique<OutputStorage>(outputsDir);
        rig.downloader = std::make_unique<OutputDownloader>(*rig.storage, fastPolicy(rig));
        QList<JobId> jobs;
        for (int k = 0; k < kJobsPerTrial; ++k)
            jobs << submitVariant(rig, attempts * 10 + k);

        rig.makeEngine();
        int storageProblems = 0;
        QStringList problems;
        QObject::connect(rig.engine.get(), &PipelineEngine::attentionChanged, rig.engine.get(),
                         [&](const EngineProblem &p) {
                             if (p.errorType == QLatin1String("storage_failed")) {
                                 ++storageProblems;
                                 problems << p.message;
                             }
                         });
        rig.engine->start();
        // A random moment of the run (it takes ~100-300 ms here).
        QTest::qWait(int(random.bounded(120)));
        if (volume) {
            volume->fill();
            QVERIFY(volume->isFull());
        } else {
            QVERIFY(rig.store->limitDatabaseSize(1));
        }
        const bool hit =
            waitFor([&] { return storageProblems > 0 || rig.engine->isIdle(); }, 10'000);
        if (!hit || storageProblems == 0) {
            // Finished before the disk filled: not a trial.
            rig.engine.reset();
            if (!volume)
                QVERIFY(rig.store->limitDatabaseSize(1'000'000));
            ++fullBeforeDone;
            continue;
        }
        ++databaseWriteFailures;
        const QString trial = QStringLiteral("database trial %1").arg(totals.trials);
        if (std::any_of(problems.cbegin(), problems.cend(),
                        [](const QString &m) { return m.startsWith(kDiskFull); }))
            ++totals.diskFullShown;
        else
            misses << trial + QStringLiteral(": the problem was not \"disk is full\": ")
                          + problems.join(QStringLiteral(" | "));
        QTest::qWait(150 + int(random.bounded(250)));

        QElapsedTimer sinceFreed;
        sinceFreed.start();
        if (volume)
            volume->free();
        else
            QVERIFY(rig.store->limitDatabaseSize(1'000'000));
        const bool finished = waitFor(
            [&] {
                return std::all_of(jobs.cbegin(), jobs.cend(), [&rig](const JobId &job) {
                    return rig.status(job) == QLatin1String("succeeded")
                           || rig.status(job) == QLatin1String("failed");
                });
            },
            20'000);
        totals.resumeMs << sinceFreed.elapsed();
        if (!finished)
            misses << trial + QStringLiteral(": did not finish after space was freed");
        QVERIFY(rig.runUntilIdle(10'000));
        totals.add(checkFinished(rig, jobs, outputsDir, misses, trial));
        ++totals.trials;
        rig.engine.reset();
        rig.downloader.reset();
        rig.store.reset();
    }
    QJsonObject json = totals.json();
    json.insert(QStringLiteral("runs"), attempts);
    json.insert(QStringLiteral("finished_before_the_disk_filled"), fullBeforeDone);
    json.insert(QStringLiteral("runs_with_failed_database_writes"), databaseWriteFailures);
    json.insert(QStringLiteral("misses"), int(misses.size()));
    m_report.insert(QStringLiteral("database"), json);
    QVERIFY2(misses.isEmpty(), qPrintable(misses.join(QLatin1Char('\n'))));
    QCOMPARE(totals.trials, m_trials);
    QCOMPARE(totals.resumed, m_trials);
}

int main(int argc, char **argv)
{
    // Before Qt starts any thread: unshare() needs a single-threaded process.
    // BRIEFLOW_FAULTDISK_NO_MOUNT=1 runs the fallback where namespaces are available too.
    g_canMount = qEnvironmentVariableIntValue("BRIEFLOW_FAULTDISK_NO_MOUNT") != 1
                 && enterPrivateMountNamespace();
    QCoreApplication app(argc, argv);
    TestFaultDisk test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_faultdisk.moc"
