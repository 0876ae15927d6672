// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench_thumbnails: the gallery's thumbnail pipeline (issue 6 §5, reliability-performance.md
// B8), printing one JSON object.
//  - images: --count N stored outputs (default 1,000), 1024 × 1024, a third each PNG, JPEG (q90)
//    and WebP (q80), drawn by the sandbox's image generator (--unique U distinct drawings per
//    format, copied to N files with their own names and keys).
//  - fresh: a new ThumbnailCache over an empty cache folder is asked for every 256-px thumbnail
//    at once, as a scrolling gallery would; wall time until the last is ready. thumbnails/s per
//    core = rate / the threads that decoded (the cache's pool, at most the machine's cores);
//    also thumbnails per CPU-second of the whole process (the same figure on a quiet machine,
//    and still meaningful on a busy one). Target ≥ 60 per second per core.
//  - GUI-thread time per thumbnail: time spent on the calling (GUI) thread in thumbnail()
//    requests and in the ready handler (the memory hit and the QImage → QPixmap conversion a
//    view does). Target ≤ 0.5 ms.
//  - cached: a second ThumbnailCache over the same folder (the next start): thumbnails/s read
//    from the disk cache. Target ≥ 1,000/s.
// Usage: bench_thumbnails [--quick] [--count N] [--unique U] [--keep]
// Runs offscreen unless QT_QPA_PLATFORM says otherwise.
#include <algorithm>
#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QTemporaryDir>
#include <QThread>

#include "benchmarks/benchsupport.h"
#include "core/sandbox/imagegenerator.h"
#include "ui/queue/thumbnailcache.h"

#include <sys/resource.h>

using namespace brieflow;
using brieflow::bench::waitUntil;

namespace {

constexpr int Edge = 256;

struct Image {
    QString path;
    QString key; ///< stands in for the output's SHA-256: one per file
};

QList<Image> makeImages(const QString &dir, int count, int unique)
{
    const QByteArray formats[] = {"png", "jpg", "webp"};
    QList<QByteArray> drawings[3];
    for (int f = 0; f < 3; ++f) {
        for (int u = 0; u < unique; ++u) {
            sandbox::ImageSpec spec;
            spec.size = QSize(1024, 1024);
            spec.format = formats[f];
            spec.quality = f == 1 ? 90 : 80;
            spec.seed = quint64(1000 + u);
            QString error;
            const QByteArray bytes = sandbox::renderImage(spec, &error);
            if (bytes.isEmpty()) {
                std::fprintf(stderr, "bench_thumbnails: %s\n", qPrintable(error));
                return {};
            }
            drawings[f].append(bytes);
        }
    }
    QList<Image> images;
    for (int i = 0; i < count; ++i) {
        const int f = i % 3;
        const QString path = QStringLiteral("%1/%2.%3")
                                 .arg(dir)
                                 .arg(i, 5, 10, QLatin1Char('0'))
                                 .arg(QString::fromLatin1(formats[f]));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(drawings[f][(i / 3) % unique]) < 0)
            return {};
        const QString key = QString::fromLatin1(
            QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha256).toHex());
        images.append({path, key});
    }
    return images;
}

/** CPU time of the whole process so far (all threads), in nanoseconds. */
qint64 processCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ns = [](const timeval &t) {
        return qint64(t.tv_sec) * 1000000000 + qint64(t.tv_usec) * 1000;
    };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

struct Pass {
    qint64 wallNs = 0;
    qint64 cpuNs = 0; ///< CPU time of every thread during the pass
    qint64 guiNs = 0;
    int ready = 0;
    int failed = 0;
    int decodes = 0;
    bool timedOut = false;
};

/** Asks @p cache for every thumbnail at once and waits until all have arrived. */
Pass runPass(ui::ThumbnailCache &cache, const QList<Image> &images)
{
    Pass pass;
    QHash<QString, QString> pathOf;
    for (const Image &image : images)
        pathOf.insert(image.key, image.path);
    QElapsedTimer gui;
    QObject context;
    QObject::connect(&cache, &ui::ThumbnailCache::thumbnailReady, &context,
                     [&](const QString &key, int edge) {
                         gui.start();
                         const QImage image = cache.thumbnail(pathOf.value(key), key, edge);
                         const QPixmap pixmap = QPixmap::fromImage(image);
                         if (!pixmap.isNull())
                             ++pass.ready;
                         pass.guiNs += gui.nsecsElapsed();
                     });
    QObject::connect(&cache, &ui::ThumbnailCache::thumbnailFailed, &context,
                     [&](const QString &, int) { ++pass.failed; });
    const int decodesBefore = cache.decodeCount();
    const qint64 cpuBefore = processCpuNs();
    QElapsedTimer wall;
    wall.start();
    for (const Image &image : images) {
        gui.start();
        const QImage now = cache.thumbnail(image.path, image.key, Edge);
        pass.guiNs += gui.nsecsElapsed();
        if (!now.isNull())
            ++pass.ready;
    }
    const auto total = images.size();
    pass.timedOut = !waitUntil([&] { return pass.ready + pass.failed >= total; }, 600000);
    pass.wallNs = wall.nsecsElapsed();
    pass.cpuNs = processCpuNs() - cpuBefore;
    pass.decodes = cache.decodeCount() - decodesBefore;
    return pass;
}

double perSecond(int n, qint64 ns)
{
    return ns > 0 ? double(n) * 1e9 / double(ns) : 0.0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption quick(QStringLiteral("quick"));
    const QCommandLineOption count(QStringLiteral("count"), QString(), QStringLiteral("N"),
                                   QStringLiteral("1000"));
    const QCommandLineOption unique(QStringLiteral("unique"), QString(), QStringLiteral("U"),
                                    QStringLiteral("30"));
    const QCommandLineOption keep(QStringLiteral("keep")); // keep the images, print where
    parser.addOptions({quick, count, unique, keep});
    parser.process(app);
    const int n = parser.isSet(quick) ? 90 : std::max(3, parser.value(count).toInt());
    const int u = parser.isSet(quick) ? 5 : std::max(1, parser.value(unique).toInt());

    QTemporaryDir dir;
    if (parser.isSet(keep)) {
        dir.setAutoRemove(false);
        std::fprintf(stderr, "bench_thumbnails: images and cache kept in %s\n",
                     qPrintable(dir.path()));
    }
    const QString sources = dir.filePath(QStringLiteral("outputs"));
    const QString cacheDir = dir.filePath(QStringLiteral("cache"));
    QDir().mkpath(sources);
    const QList<Image> images = makeImages(sources, n, u);
    if (images.size() != n) {
        std::fprintf(stderr, "bench_thumbnails: could not write the test images\n");
        return 1;
    }

    Pass fresh;
    int threads = 0;
    {
        ui::ThumbnailCache cache(cacheDir);
        fresh = runPass(cache, images);
        threads = std::min(cache.poolThreadCount(), QThread::idealThreadCount());
    }
    Pass cached;
    {
        ui::ThumbnailCache cache(cacheDir); // the next start: memory empty, disk cache full
        cached = runPass(cache, images);
    }

    const double freshRate = perSecond(fresh.ready, fresh.wallNs);
    const double freshPerCore = threads > 0 ? freshRate / threads : 0.0;
    const double guiMs = fresh.ready > 0 ? double(fresh.guiNs) / 1e6 / fresh.ready : 0.0;
    // Per core measured by CPU time too: on a busy machine wall time shares the cores with
    // others, CPU time does not.
    const double freshPerCpuSecond = perSecond(fresh.ready, fresh.cpuNs);
    const double cachedRate = perSecond(cached.ready, cached.wallNs);
    const double cachedGuiMs = cached.ready > 0 ? double(cached.guiNs) / 1e6 / cached.ready : 0.0;
    const bool ok = !fresh.timedOut && !cached.timedOut && fresh.failed == 0 && cached.failed == 0
                    && fresh.ready == n && cached.ready == n && cached.decodes == 0;
    QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("thumbnails")},
        {QStringLiteral("images"), n},
        {QStringLiteral("image_size"), QStringLiteral("1024x1024 png/jpeg/webp")},
        {QStringLiteral("thumbnail_edge"), Edge},
        {QStringLiteral("decode_threads"), threads},
        {QStringLiteral("fresh_per_second"), freshRate},
        {QStringLiteral("fresh_per_second_per_core"), freshPerCore},
        {QStringLiteral("fresh_per_cpu_second"), freshPerCpuSecond},
        {QStringLiteral("fresh_cpu_ms_per_thumbnail"),
         fresh.ready > 0 ? double(fresh.cpuNs) / 1e6 / fresh.ready : 0.0},
        {QStringLiteral("fresh_gui_ms_per_thumbnail"), guiMs},
        {QStringLiteral("fresh_decodes"), fresh.decodes},
        {QStringLiteral("cached_per_second"), cachedRate},
        {QStringLiteral("cached_per_cpu_second"), perSecond(cached.ready, cached.cpuNs)},
        {QStringLiteral("cached_gui_ms_per_thumbnail"), cachedGuiMs},
        {QStringLiteral("cached_decodes"), cached.decodes},
        {QStringLiteral("failed"), fresh.failed + cached.failed},
        {QStringLiteral("targets"), QJsonObject{{QStringLiteral("fresh_per_second_per_core"), 60},
                                                {QStringLiteral("fresh_gui_ms_per_thumbnail"), 0.5},
                                                {QStringLiteral("cached_per_second"), 1000}}},
        {QStringLiteral("ok"), ok},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return ok ? 0 : 1;
}
