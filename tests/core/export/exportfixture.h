// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A job store with finished campaign jobs, written the way the engine writes them, for the
// export tests: the brief submitted through submitBrief(), every step's input rendered from the
// built-in workflow, provider calls recorded as intents and then finished with a prediction body
// in Replicate's shape (tests/data/export/*.json), real image files (PNG, JPEG, WebP) stored
// content-addressed under an outputs folder and registered as outputs, the image step's
// {"images": [...]} output and the job's {"texts", "images"} summary from core/pipeline's
// stepoutput functions. Header-only: include it from any test linked to Brieflow::core.
//
//   brieflow::test::ExportFixture fixture(4);
//   QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
//   fixture.store(), fixture.jobs(), fixture.outputIds()

#include <memory>

#include <QBuffer>
#include <QColor>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimeZone>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/jobstatus.h"
#include "core/pipeline/stepoutput.h"
#include "core/store/jobstore.h"
#include "core/workflow/steptemplate.h"
#include "core/workflow/workflow.h"

#ifndef BRIEFLOW_TEST_DATA_DIR
#error "exportfixture.h needs BRIEFLOW_TEST_DATA_DIR (tests registered with brieflow_add_test)"
#endif

namespace brieflow::test {

/** What the fixture made for one job: the values a lineage of its images must show. */
struct ExportFixtureJob {
    JobId id;
    Brief brief;
    QString conceptText;
    QString imagePrompt;
    QString storedFormat;       ///< "png", "jpg" or "webp": the format of the stored files
    QList<OutputRecord> images; ///< in the image step's order
    qint64 seed = 0;            ///< the image model's seed
    bool seedInInput = false; ///< true: the image step's input carries "seed" (else only the logs)
    int imageAttempts = 1;    ///< the image step's attempts (the earlier ones failed)

    QString textModel; ///< concept and image_prompt
    QString textVersion;
    QString conceptPredictionId;
    QString imagePromptPredictionId;
    double conceptPredictTime = 0;
    double imagePromptPredictTime = 0;

    QString imageModel;
    QString imageVersion;
    QString imagePredictionId; ///< of the succeeded attempt
    double imagePredictTime = 0;
    QDateTime imageCreatedAt; ///< the provider's created_at / started_at / completed_at (ms)
    QDateTime imageStartedAt;
    QDateTime imageCompletedAt;
};

/**
 * A temporary folder with a JobStore file (brieflow.sqlite3) and an outputs folder, filled with
 * @c jobCount succeeded campaign jobs. Job i follows pattern i % 4:
 *  0 "Café Ñandú", 2 PNG images 512×512 with transparency, seed 12345 only in the logs;
 *  1 an emoji brief, 1 JPEG 1024×576, the image step needed 2 attempts (the first failed);
 *  2 a CJK brief, 1 WebP 384×480, seed 4242 in the image step's input;
 *  3 XML specials and quotes in the brief, 3 PNG images 256×256 without alpha.
 * Everything is deterministic except ids and the store's own "now" times.
 */
class ExportFixture {
public:
    explicit ExportFixture(int jobCount = 4)
    {
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("no temporary folder");
            return;
        }
        auto opened = JobStore::open(databaseFile(), JobStore::Mode::Writer);
        if (!opened) {
            m_error = opened.error().logText();
            return;
        }
        m_store = std::move(opened).value();
        auto workflow = builtinWorkflow(CampaignWorkflow::type());
        if (!workflow) {
            m_error = QStringLiteral("the built-in workflow does not load");
            return;
        }
        m_workflow = std::move(workflow).value();
        for (int i = 0; i < jobCount && m_error.isEmpty(); ++i)
            addJob(i);
    }

    bool isValid() const { return m_error.isEmpty(); }
    /** Why the fixture could not be made; empty when isValid(). */
    QString error() const { return m_error; }

    QString path() const { return m_dir.path(); }
    QString databaseFile() const { return m_dir.filePath(QStringLiteral("brieflow.sqlite3")); }
    QString outputsDir() const { return m_dir.filePath(QStringLiteral("outputs")); }
    /** The writer connection (owned by the thread that made the fixture). */
    JobStore &store() { return *m_store; }
    const JobStore &store() const { return *m_store; }

    const QList<ExportFixtureJob> &jobs() const { return m_jobs; }
    QList<JobId> jobIds() const
    {
        QList<JobId> ids;
        for (const ExportFixtureJob &job : m_jobs)
            ids << job.id;
        return ids;
    }
    /** Every image output, job by job, in each image step's order. */
    QList<OutputId> outputIds() const
    {
        QList<OutputId> ids;
        for (const ExportFixtureJob &job : m_jobs) {
            for (const OutputRecord &image : job.images)
                ids << image.id;
        }
        return ids;
    }

    /** The first fixture job whose stored images are in @p format ("png", "jpg", "webp"). */
    const ExportFixtureJob *jobWithFormat(const QString &format) const
    {
        for (const ExportFixtureJob &job : m_jobs) {
            if (job.storedFormat == format)
                return &job;
        }
        return nullptr;
    }

    /** A recorded-shape prediction body from tests/data/export (the template the calls use). */
    static QJsonObject predictionTemplate(const QString &name)
    {
        QFile file(QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/export/") + name);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    /** The pixels of image @p index of fixture job pattern @p pattern: deterministic. */
    static QImage makePixels(int pattern, int index, int width, int height, bool alpha)
    {
        QImage image(width, height, alpha ? QImage::Format_ARGB32 : QImage::Format_RGB32);
        const int shift = pattern * 37 + index * 91;
        for (int y = 0; y < height; ++y) {
            auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
            for (int x = 0; x < width; ++x) {
                const int r = (x * 255 / width + shift) % 256;
                const int g = (y * 255 / height + shift / 2) % 256;
                const int dx = x - width / 2, dy = y - height / 2;
                const bool disc = dx * dx + dy * dy < (width * height) / 10;
                const int b = disc ? 230 - (index * 40) % 200 : ((x / 16 + y / 16) % 2) * 90;
                const int a = alpha ? (disc ? 255 : 64 + (x * 191 / width)) : 255;
                line[x] = qRgba(r, g, b, a);
            }
        }
        return image;
    }

private:
    struct Pattern {
        Brief brief;
        QString conceptText;
        QString imagePrompt;
        QString format; // brief's output_format: png / jpg / webp
        int width;
        int height;
        bool alpha;
        qint64 seed;
        bool seedInInput;
        int imageAttempts;
        double imagePredictTime; ///< metrics.predict_time of the image prediction
    };

    static Pattern pattern(int index)
    {
        Pattern p;
        switch (index % 4) {
        case 0:
            p.brief.productName = QStringLiteral("Café Ñandú");
            p.brief.audience = QStringLiteral("Young professionals in Buenos Aires and Zürich");
            p.brief.valueProposition =
                QStringLiteral("Single-origin yerba mate cold brew — crème-smooth, no bitterness");
            p.brief.tone = QStringLiteral("Warm, witty, a little señorial");
            p.brief.brandNotes = QStringLiteral("Terracotta and cream; show the can, never a cup");
            p.brief.image = {QStringLiteral("1:1"), 2, QStringLiteral("png")};
            p.conceptText = QStringLiteral(
                "Headline: Mañana starts colder\nIdea: The ritual of mate, reinvented for the "
                "commute.\n- Crème-smooth, no bitterness\n- Brewed in Córdoba\nCall to action: "
                "Grab a can");
            p.imagePrompt = QStringLiteral(
                "A terracotta can of Café Ñandú cold brew on a cream marble café table in morning "
                "light, condensation on the can, soft shadows, calm space at the top for a "
                "headline, warm editorial photography");
            p.width = 512;
            p.height = 512;
            p.alpha = true;
            p.seed = 12345;
            p.imagePredictTime = 0.873214;
            p.seedInInput = false;
            p.imageAttempts = 1;
            break;
        case 1:
            p.brief.productName = QStringLiteral("Sunrise Tea ☀️🍵");
            p.brief.audience = QStringLiteral("Early risers who run before work 🏃");
            p.brief.valueProposition = QStringLiteral("Caffeine that starts gently and lasts");
            p.brief.tone = QStringLiteral("Bright and upbeat ✨");
            p.brief.image = {QStringLiteral("16:9"), 1, QStringLiteral("jpg")};
            p.conceptText = QStringLiteral(
                "Headline: Your sunrise, in a cup ☀️\nIdea: Tea that rises with you.\n- Gentle "
                "start, steady energy\nCall to action: Taste the dawn");
            p.imagePrompt = QStringLiteral(
                "A runner pausing on a coastal path at sunrise holding a steaming cup of tea, "
                "golden backlight, wide 16:9 frame, empty sky on the left for a headline, "
                "natural documentary style");
            p.width = 1024;
            p.height = 576;
            p.alpha = false;
            p.seed = 987654321;
            p.imagePredictTime = 1.412905;
            p.seedInInput = false;
            p.imageAttempts = 2;
            break;
        case 2:
            p.brief.productName = QStringLiteral("抹茶ラテ「緑の朝」");
            p.brief.audience = QStringLiteral("東京の大学生");
            p.brief.valueProposition = QStringLiteral("香り高い宇治抹茶を、コンビニで手軽に。");
            p.brief.tone = QStringLiteral("やさしく、爽やか");
            p.brief.brandNotes = QStringLiteral("緑と白。ロゴは右下。");
            p.brief.image = {QStringLiteral("4:5"), 1, QStringLiteral("webp")};
            p.conceptText = QStringLiteral("Headline: 緑の朝を、ひと口で。\nIdea: "
                                           "通学前の一杯が、朝を変える。\n- 宇治抹茶の香り\n"
                                           "Call to action: 今日から試そう");
            p.imagePrompt = QStringLiteral(
                "A green matcha latte in a clear cup on a white convenience-store counter in soft "
                "morning light, a student's hand reaching for it, fresh green and white palette, "
                "clean minimal photography");
            p.width = 384;
            p.height = 480;
            p.alpha = false;
            p.seed = 4242;
            p.imagePredictTime = 0.611377;
            p.seedInInput = true;
            p.imageAttempts = 1;
            break;
        default:
            p.brief.productName = QStringLiteral("Bolt & <Co> \"Volt\"");
            p.brief.audience = QStringLiteral("DIY fans who say 'measure twice' & mean it");
            p.brief.valueProposition = QStringLiteral("Drills > 2× faster; <b>not</b> HTML");
            p.brief.brandNotes = QStringLiteral("Use ]]> and --> literally; \\ backslash too");
            p.brief.image = {QStringLiteral("1:1"), 3, QStringLiteral("png")};
            p.conceptText = QStringLiteral(
                "Headline: Twice as fast, half the fuss\nIdea: A drill for people who \"just do "
                "it\".\n- <Power> & precision\nCall to action: Drill on");
            p.imagePrompt = QStringLiteral(
                "A cordless yellow drill on a workbench with wood shavings, dramatic side light, "
                "shallow depth of field, space on the right for a headline, product photography");
            p.width = 256;
            p.height = 256;
            p.alpha = false;
            p.seed = 7;
            p.imagePredictTime = 0.955102;
            p.seedInInput = false;
            p.imageAttempts = 1;
            break;
        }
        p.format = p.brief.image.outputFormat;
        return p;
    }

    static QString hex(const QByteArray &bytes)
    {
        return QString::fromLatin1(
            QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    }

    static QString providerTime(const QDateTime &t, int micro)
    {
        // Replicate's timestamps carry microseconds: 2026-03-02T09:30:00.123456Z.
        return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
               + QStringLiteral("%1Z").arg(micro, 3, 10, QLatin1Char('0'));
    }

    static QString predictionId(int job, int step, int attempt)
    {
        // Replicate ids: 26 characters of lowercase base32.
        const QByteArray seed = QByteArrayLiteral("fixture-") + QByteArray::number(job) + '-'
                                + QByteArray::number(step) + '-' + QByteArray::number(attempt);
        const QByteArray digest = QCryptographicHash::hash(seed, QCryptographicHash::Sha256);
        static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
        QString id;
        for (int i = 0; i < 26; ++i)
            id += QLatin1Char(alphabet[static_cast<unsigned char>(digest.at(i)) % 32]);
        return id;
    }

    bool check(bool ok, const QString &what)
    {
        if (!ok && m_error.isEmpty())
            m_error = what;
        return ok;
    }

    template<typename R>
    bool checkStore(const R &result, const QString &what)
    {
        if (!result && m_error.isEmpty())
            m_error = what + QStringLiteral(": ") + result.error().logText();
        return static_cast<bool>(result);
    }

    /** A finished call: intent, then the final prediction body. */
    bool finishCall(const JobId &job, const StepRecord &step, int attempt, const QString &model,
                    const QJsonObject &body, bool succeeded, const QDateTime &completed)
    {
        auto call = m_store->recordCallIntent(job, step.id, attempt, model, hex(step.inputPayload));
        if (!checkStore(call, QStringLiteral("recordCallIntent")))
            return false;
        ProviderCallRecord next = *call;
        next.predictionId = body.value(QStringLiteral("id")).toString();
        next.state = succeeded ? CallState::Succeeded : CallState::Failed;
        next.providerStatus = body.value(QStringLiteral("status")).toString();
        next.rawLastResponse = QJsonDocument(body).toJson(QJsonDocument::Compact);
        QJsonObject metrics;
        const QJsonObject raw = body.value(QStringLiteral("metrics")).toObject();
        if (raw.contains(QStringLiteral("predict_time")))
            metrics.insert(QStringLiteral("predict_time"),
                           raw.value(QStringLiteral("predict_time")));
        if (raw.contains(QStringLiteral("total_time")))
            metrics.insert(QStringLiteral("total_time"), raw.value(QStringLiteral("total_time")));
        if (!metrics.isEmpty())
            next.metrics = QJsonDocument(metrics).toJson(QJsonDocument::Compact);
        next.submittedAt = QDateTime::currentDateTimeUtc();
        next.completedAt = completed;
        if (!succeeded) {
            next.errorType = QStringLiteral("model_error");
            next.errorMessage = body.value(QStringLiteral("error")).toString();
        }
        return checkStore(m_store->updateCall(next), QStringLiteral("updateCall"));
    }

    QJsonObject textBody(int job, int step, const QString &input, const QString &text,
                         const QDateTime &created, double predictTime)
    {
        QJsonObject body = predictionTemplate(QStringLiteral("llama-3-8b-instruct-succeeded.json"));
        const QString id = predictionId(job, step, 1);
        body.insert(QStringLiteral("id"), id);
        body.insert(QStringLiteral("input"), QJsonDocument::fromJson(input.toUtf8()).object());
        QJsonArray tokens;
        for (const QString &word : text.split(QLatin1Char(' ')))
            tokens.append(tokens.isEmpty() ? word : QString(QStringLiteral(" ") + word));
        tokens.append(QString());
        body.insert(QStringLiteral("output"), tokens);
        body.insert(QStringLiteral("logs"),
                    QStringLiteral("Random seed used: `%1`\nNote: Random seed will not impact "
                                   "output if greedy decoding is used.\n")
                        .arg(1000 + job * 10 + step));
        body.insert(QStringLiteral("created_at"), providerTime(created, 111));
        body.insert(QStringLiteral("started_at"), providerTime(created.addMSecs(40), 222));
        body.insert(QStringLiteral("completed_at"),
                    providerTime(created.addMSecs(40 + qint64(predictTime * 1000)), 333));
        QJsonObject metrics = body.value(QStringLiteral("metrics")).toObject();
        metrics.insert(QStringLiteral("predict_time"), predictTime);
        metrics.insert(QStringLiteral("predict_time_share"), predictTime);
        body.insert(QStringLiteral("metrics"), metrics);
        QJsonObject urls = body.value(QStringLiteral("urls")).toObject();
        urls.insert(QStringLiteral("get"),
                    QString(QStringLiteral("https://api.replicate.com/v1/predictions/") + id));
        urls.insert(QStringLiteral("cancel"),
                    QStringLiteral("https://api.replicate.com/v1/predictions/%1/cancel").arg(id));
        urls.insert(QStringLiteral("web"),
                    QString(QStringLiteral("https://replicate.com/p/") + id));
        body.insert(QStringLiteral("urls"), urls);
        return body;
    }

    void addJob(int index)
    {
        const Pattern p = pattern(index);
        ExportFixtureJob made;
        made.brief = p.brief;
        made.conceptText = p.conceptText;
        made.imagePrompt = p.imagePrompt;
        made.storedFormat = p.format;
        made.seed = p.seed;
        made.seedInInput = p.seedInInput;
        made.imageAttempts = p.imageAttempts;

        auto job = submitBrief(*m_store, p.brief, QStringLiteral("exportfixture"));
        if (!checkStore(job, QStringLiteral("submitBrief")))
            return;
        made.id = job->id;
        auto steps = m_store->steps(job->id);
        if (!checkStore(steps, QStringLiteral("steps")))
            return;
        QList<StepRecord> list = *steps;
        if (!check(list.size() == 4, QStringLiteral("the campaign workflow has not 4 steps")))
            return;

        const QDateTime base =
            QDateTime(QDate(2026, 3, 2), QTime(9, 30), QTimeZone::utc()).addSecs(3600LL * index);
        TemplateContext context;
        context.briefJson = briefToJson(p.brief);
        const QJsonObject textTemplate =
            predictionTemplate(QStringLiteral("llama-3-8b-instruct-succeeded.json"));
        const QJsonObject imageTemplate =
            predictionTemplate(QStringLiteral("flux-schnell-succeeded.json"));
        if (!check(!textTemplate.isEmpty() && !imageTemplate.isEmpty(),
                   QStringLiteral("tests/data/export prediction bodies missing")))
            return;
        made.textModel = textTemplate.value(QStringLiteral("model")).toString();
        made.textVersion = textTemplate.value(QStringLiteral("version")).toString();
        made.imageModel = imageTemplate.value(QStringLiteral("model")).toString();
        made.imageVersion = imageTemplate.value(QStringLiteral("version")).toString();

        // --- concept and image_prompt: text steps -------------------------------------------
        const QString texts[2] = {p.conceptText, p.imagePrompt};
        for (int s = 0; s < 2; ++s) {
            StepRecord &step = list[s];
            const StepDefinition *definition = m_workflow.step(step.name);
            if (!check(definition, QStringLiteral("no workflow step ") + step.name))
                return;
            auto input = renderStepInput(*definition, context);
            if (!check(static_cast<bool>(input), QStringLiteral("renderStepInput ") + step.name))
                return;
            const QDateTime created = base.addSecs(s * 5);
            const double predictTime = s == 0 ? 1.804211 : 0.977402;
            const QJsonObject body =
                textBody(index, s, QString::fromUtf8(*input), texts[s], created, predictTime);
            step.status = StepStatus::Succeeded;
            step.attemptCount = 1;
            step.inputPayload = *input;
            step.outputPayload = textStepOutput(texts[s]);
            step.startedAt = created;
            step.completedAt = created.addSecs(2);
            if (!checkStore(m_store->updateStep(step), QStringLiteral("updateStep")))
                return;
            if (!finishCall(job->id, step, 1, definition->model, body, true, step.completedAt))
                return;
            context.stepOutputs.insert(step.name, texts[s]);
            if (s == 0) {
                made.conceptPredictionId = body.value(QStringLiteral("id")).toString();
                made.conceptPredictTime = predictTime;
            } else {
                made.imagePromptPredictionId = body.value(QStringLiteral("id")).toString();
                made.imagePromptPredictTime = predictTime;
            }
        }

        // --- image step ---------------------------------------------------------------------
        StepRecord &image = list[2];
        const StepDefinition *imageDefinition = m_workflow.step(image.name);
        if (!check(imageDefinition, QStringLiteral("no image step")))
            return;
        auto rendered = renderStepInput(*imageDefinition, context);
        if (!check(static_cast<bool>(rendered), QStringLiteral("renderStepInput image")))
            return;
        QJsonObject imageInput = QJsonDocument::fromJson(*rendered).object();
        if (p.seedInInput)
            imageInput.insert(QStringLiteral("seed"), p.seed);
        image.inputPayload = QJsonDocument(imageInput).toJson(QJsonDocument::Compact);
        image.status = StepStatus::Succeeded;
        image.attemptCount = p.imageAttempts;
        image.startedAt = base.addSecs(10);
        image.completedAt = base.addSecs(10 + 30 * p.imageAttempts);
        if (!checkStore(m_store->updateStep(image), QStringLiteral("updateStep image")))
            return;

        for (int attempt = 1; attempt < p.imageAttempts; ++attempt) {
            QJsonObject failed = imageTemplate;
            const QString id = predictionId(index, 2, attempt);
            failed.insert(QStringLiteral("id"), id);
            failed.insert(QStringLiteral("input"), imageInput);
            failed.insert(QStringLiteral("status"), QStringLiteral("failed"));
            failed.insert(QStringLiteral("output"), QJsonValue());
            failed.insert(QStringLiteral("error"), QStringLiteral("CUDA error: out of memory"));
            failed.insert(
                QStringLiteral("logs"),
                QStringLiteral("Using seed: %1\nrunning quantized prediction\n").arg(p.seed + 1));
            const QDateTime created = base.addSecs(10 + 30 * (attempt - 1));
            failed.insert(QStringLiteral("created_at"), providerTime(created, 500));
            failed.insert(QStringLiteral("started_at"), providerTime(created.addMSecs(300), 600));
            failed.insert(QStringLiteral("completed_at"), providerTime(created.addSecs(2), 700));
            failed.insert(QStringLiteral("metrics"),
                          QJsonObject{{QStringLiteral("predict_time"), 1.7}});
            if (!finishCall(job->id, image, attempt, imageDefinition->model, failed, false,
                            created.addSecs(2)))
                return;
        }

        QJsonObject body = imageTemplate;
        made.imagePredictionId = predictionId(index, 2, p.imageAttempts);
        made.imageCreatedAt = base.addSecs(10 + 30 * (p.imageAttempts - 1)).addMSecs(250);
        made.imageStartedAt = made.imageCreatedAt.addMSecs(480);
        made.imagePredictTime = p.imagePredictTime;
        made.imageCompletedAt =
            made.imageStartedAt.addMSecs(qint64(made.imagePredictTime * 1000) + 15);
        body.insert(QStringLiteral("id"), made.imagePredictionId);
        body.insert(QStringLiteral("input"), imageInput);
        body.insert(QStringLiteral("logs"),
                    QStringLiteral("Using seed: %1\nrunning quantized prediction\nUsing seed: %1\n"
                                   "  0%|          | 0/4 [00:00<?, ?it/s]\n"
                                   "100%|██████████| 4/4 [00:00<00:00,  7.91it/s]\n")
                        .arg(p.seed));
        body.insert(QStringLiteral("created_at"), providerTime(made.imageCreatedAt, 901));
        body.insert(QStringLiteral("started_at"), providerTime(made.imageStartedAt, 902));
        body.insert(QStringLiteral("completed_at"), providerTime(made.imageCompletedAt, 903));
        QJsonObject metrics = body.value(QStringLiteral("metrics")).toObject();
        metrics.insert(QStringLiteral("image_count"), p.brief.image.count);
        metrics.insert(QStringLiteral("predict_time"), made.imagePredictTime);
        metrics.insert(QStringLiteral("total_time"),
                       static_cast<double>(made.imageCreatedAt.msecsTo(made.imageCompletedAt))
                           / 1000.0);
        body.insert(QStringLiteral("metrics"), metrics);

        // The files, as the downloader stores them: <outputs>/<sha[0:2]>/<sha>.<ext>.
        QList<OutputRecord> records;
        QJsonArray urls;
        const QByteArray writerFormat =
            p.format == QStringLiteral("jpg") ? QByteArrayLiteral("jpeg") : p.format.toLatin1();
        const QString mime = p.format == QStringLiteral("jpg")
                                 ? QStringLiteral("image/jpeg")
                                 : QStringLiteral("image/") + p.format;
        for (int i = 0; i < p.brief.image.count; ++i) {
            const QImage pixels = makePixels(index % 4, i, p.width, p.height, p.alpha);
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            QImageWriter writer(&buffer, writerFormat);
            if (p.format != QStringLiteral("png"))
                writer.setQuality(90);
            if (!check(writer.write(pixels), QStringLiteral("cannot write a %1 image: %2")
                                                 .arg(p.format, writer.errorString())))
                return;
            const QString sha = hex(bytes);
            const QString folder = outputsDir() + QLatin1Char('/') + sha.left(2);
            QDir().mkpath(folder);
            const QString file = folder + QLatin1Char('/') + sha + QLatin1Char('.') + p.format;
            QFile out(file);
            if (!check(out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size(),
                       QStringLiteral("cannot write ") + file))
                return;
            out.close();
            const QString url = QStringLiteral("https://replicate.delivery/xezq/%1/out-%2.%3")
                                    .arg(sha.left(40))
                                    .arg(i)
                                    .arg(p.format);
            urls.append(url);
            OutputRecord record;
            record.id = OutputId::generate();
            record.jobId = job->id;
            record.stepId = image.id;
            record.kind = QStringLiteral("image");
            record.filePath = file;
            record.sha256 = sha;
            record.mime = mime;
            record.width = p.width;
            record.height = p.height;
            record.bytes = bytes.size();
            record.sourceUrl = url;
            record.createdAt = made.imageCompletedAt.addMSecs(200 + i);
            auto added = m_store->addOutput(record);
            if (!checkStore(added, QStringLiteral("addOutput")))
                return;
            records << *added;
        }
        body.insert(QStringLiteral("output"), urls);
        if (!finishCall(job->id, image, p.imageAttempts, imageDefinition->model, body, true,
                        made.imageCompletedAt))
            return;
        image.outputPayload = imageStepOutput(records);
        if (!checkStore(m_store->updateStep(image), QStringLiteral("updateStep image output")))
            return;
        made.images = records;

        // --- store step and the job's summary ----------------------------------------------
        StepRecord &store = list[3];
        store.status = StepStatus::Succeeded;
        store.attemptCount = 1;
        store.startedAt = image.completedAt.addSecs(1);
        store.completedAt = store.startedAt.addMSecs(20);
        store.outputPayload =
            QByteArrayLiteral("{\"images\":") + QByteArray::number(records.size()) + '}';
        if (!checkStore(m_store->updateStep(store), QStringLiteral("updateStep store")))
            return;
        const QList<QPair<QString, QString>> summaryTexts{{list[0].name, p.conceptText},
                                                          {list[1].name, p.imagePrompt}};
        if (!checkStore(m_store->setJobOutput(job->id, jobOutput(summaryTexts, records)),
                        QStringLiteral("setJobOutput")))
            return;
        auto all = m_store->steps(job->id);
        if (!checkStore(all, QStringLiteral("steps")))
            return;
        if (!checkStore(m_store->updateJobState(job->id, deriveJobState(*all)),
                        QStringLiteral("updateJobState")))
            return;
        m_jobs << made;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<JobStore> m_store;
    Workflow m_workflow;
    QList<ExportFixtureJob> m_jobs;
    QString m_error;
};

} // namespace brieflow::test
