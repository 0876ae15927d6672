// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "predictionengine.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/sandbox/imagegenerator.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/sandboxconfig.h"
#include "core/sandbox/textgenerator.h"
#include "core/util/canonicaljson.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::json;

constexpr qint64 NsPerMs = 1000 * 1000;
// Replicate's newer ids: 26 characters of lowercase Crockford base32.
constexpr const char IdAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
// Stream tokens in recorded traffic: RFC 4648 base32, lowercase.
constexpr const char TokenAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

qint64 draw(QRandomGenerator &rng, int min, int max)
{
    if (max <= min)
        return std::max(0, min);
    return rng.bounded(std::max(0, min), max + 1);
}

std::string stringOr(const Json &input, const char *key, const std::string &fallback)
{
    const auto it = input.find(key);
    return it != input.end() && it->is_string() ? it->get<std::string>() : fallback;
}

qint64 integerOr(const Json &input, const char *key, qint64 fallback)
{
    const auto it = input.find(key);
    return it != input.end() && it->is_number() ? it->get<qint64>() : fallback;
}

QString progressBar(int done, int total)
{
    const int percent = total > 0 ? done * 100 / total : 100;
    const int filled = percent / 10;
    return QStringLiteral("%1%|%2%3| %4/%5 [00:00<00:00, 8.00it/s]\n")
        .arg(percent, 3)
        .arg(QString(filled, QChar(0x2588)), QString(10 - filled, QLatin1Char(' ')))
        .arg(done)
        .arg(total);
}

} // namespace

PredictionEngine::PredictionEngine(SandboxClock *clock, const SandboxConfig *config,
                                   QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_config(config)
    , m_rng(static_cast<quint32>(config->seed ^ (config->seed >> 32)))
{}

PredictionEngine::~PredictionEngine() = default;

QString PredictionEngine::newId(int length, const char *alphabet)
{
    QString id;
    id.reserve(length);
    for (int i = 0; i < length; ++i)
        id.append(QLatin1Char(alphabet[m_rng.bounded(32)]));
    return id;
}

const Prediction &PredictionEngine::create(const CreateSpec &spec)
{
    auto owned = std::make_unique<Prediction>();
    Prediction &p = *owned;
    do {
        p.id = newId(26, IdAlphabet);
    } while (m_predictions.count(p.id));
    p.model = spec.model;
    p.modelField =
        m_config->quirks.internalModelNames ? spec.model->internalName : spec.model->fullName();
    p.version = spec.version;
    p.input = spec.input;
    p.inputKey = spec.inputKey;
    // created_at is unique at microsecond precision, so list cursors never tie.
    p.createdNs = std::max(m_clock->nowNs(), m_lastCreatedNs + 1000);
    m_lastCreatedNs = p.createdNs;
    p.webhook = spec.webhook;
    p.webhookEvents = spec.webhookEvents;
    p.streamRequested = spec.streamRequested;
    p.deployment = spec.deployment;
    p.syncMode = spec.syncMode;
    p.failWith = spec.failWith;
    p.ttlMs = spec.expireImmediately ? 0 : m_config->dataTtlMs;
    if (spec.model->supportsStreaming)
        p.streamToken = newId(52, TokenAlphabet);
    const LatencyDistribution &latency =
        spec.model->kind == ModelKind::Text ? m_config->textLatency : m_config->imageLatency;
    p.queueMs = draw(m_rng, latency.queueMinMs, latency.queueMaxMs);
    p.runMs = draw(m_rng, latency.runMinMs, latency.runMaxMs);
    plan(p);

    const QString id = p.id;
    m_predictions.emplace(id, std::move(owned));
    m_order.append(&p);
    if (!p.streamToken.isEmpty())
        m_streamTokens.insert(p.streamToken, id);
    ++m_runCounts[p.model];

    m_nextStep.insert(
        id, m_clock->callAt(p.createdNs + p.queueMs * NsPerMs, this, [this, id] { start(id); }));
    if (spec.cancelAfterMs > 0) {
        p.deadlineNs = p.createdNs + spec.cancelAfterMs * NsPerMs;
        if (!m_config->quirks.ignoreDeadlines) {
            m_deadlines.insert(id,
                               m_clock->callAt(p.deadlineNs, this, [this, id] { onDeadline(id); }));
        }
    }
    return p;
}

void PredictionEngine::plan(Prediction &p)
{
    const Json input = Json::parse(p.input.toStdString(), nullptr, false);
    const std::optional<QByteArray> canonical = canonicalJson(p.input);
    const QString digest = sha256Hex(canonical.value_or(p.input) + p.model->fullName().toUtf8());
    p.outputSeed =
        digest.left(16).toULongLong(nullptr, 16) ^ (m_config->seed * 0x9E3779B97F4A7C15ULL);
    if (p.model->kind == ModelKind::Text) {
        TextRequest request;
        request.prompt = QString::fromStdString(stringOr(input, "prompt", {}));
        request.systemPrompt = QString::fromStdString(stringOr(input, "system_prompt", {}));
        request.maxTokens = static_cast<int>(integerOr(input, "max_tokens", 512));
        request.seed = p.outputSeed;
        p.plannedTokens = generateTextTokens(request);
        p.stepsTotal = static_cast<int>(std::clamp<qsizetype>(p.plannedTokens.size(), 1, 24));
    } else {
        p.stepsTotal =
            static_cast<int>(std::clamp<qint64>(integerOr(input, "num_inference_steps", 4), 1, 4));
    }
}

const Prediction *PredictionEngine::find(const QString &id) const
{
    const auto it = m_predictions.find(id);
    return it == m_predictions.end() ? nullptr : it->second.get();
}

Prediction *PredictionEngine::mutableFind(const QString &id)
{
    const auto it = m_predictions.find(id);
    return it == m_predictions.end() ? nullptr : it->second.get();
}

const Prediction *PredictionEngine::findByStreamToken(const QString &token) const
{
    const auto it = m_streamTokens.constFind(token);
    return it == m_streamTokens.cend() ? nullptr : find(*it);
}

const OutputFile *PredictionEngine::file(const QString &id, const QString &name) const
{
    const Prediction *p = find(id);
    if (!p || p->dataRemoved)
        return nullptr;
    for (const OutputFile &f : p->files) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

int PredictionEngine::runCount(const SandboxModel *model) const
{
    return m_runCounts.value(model);
}

void PredictionEngine::appendLogs(Prediction &p, const QString &text)
{
    p.logs += text;
    Q_EMIT logsAppended(p.id, text);
}

void PredictionEngine::start(const QString &id)
{
    Prediction *p = mutableFind(id);
    if (!p || p->status != Status::Starting)
        return;
    p->status = Status::Processing;
    p->startedNs = m_clock->nowNs();
    Q_EMIT started(id);
    const Json input = Json::parse(p->input.toStdString(), nullptr, false);
    const qint64 seed = integerOr(input, "seed", static_cast<qint64>(p->outputSeed % 100000));
    if (p->model->kind == ModelKind::Text)
        appendLogs(*p, QStringLiteral("Random seed used: `%1`\nNote: Random seed will not impact "
                                      "output if greedy decoding is used.\n")
                           .arg(seed));
    else
        appendLogs(*p, QStringLiteral("Using seed: %1\nRunning quantized prediction\n").arg(seed));
    const qint64 first = p->startedNs + p->runMs * NsPerMs / p->stepsTotal;
    m_nextStep.insert(id, m_clock->callAt(first, this, [this, id] { step(id); }));
}

void PredictionEngine::step(const QString &id)
{
    Prediction *p = mutableFind(id);
    if (!p || p->status != Status::Processing)
        return;
    const int index = p->stepsDone++;
    const bool last = p->stepsDone >= p->stepsTotal;
    if (p->model->kind == ModelKind::Text) {
        if (!p->failWith.isEmpty() && last) {
            finish(*p, Status::Failed, p->failWith);
            return;
        }
        const qsizetype total = p->plannedTokens.size();
        const qsizetype from = total * index / p->stepsTotal;
        const qsizetype to = total * (index + 1) / p->stepsTotal;
        if (to > from) {
            const QStringList chunk = p->plannedTokens.mid(from, to - from);
            p->output += chunk;
            p->hasOutput = true;
            Q_EMIT outputAppended(id, chunk);
        }
    } else {
        appendLogs(*p, progressBar(p->stepsDone, p->stepsTotal));
        if (last) {
            if (!p->failWith.isEmpty()) {
                finish(*p, Status::Failed, p->failWith);
                return;
            }
            renderImages(*p);
            if (p->status != Status::Processing)
                return;
        }
    }
    if (last) {
        finish(*p, Status::Succeeded);
        return;
    }
    const qint64 due = p->startedNs + p->runMs * NsPerMs * (p->stepsDone + 1) / p->stepsTotal;
    m_nextStep.insert(id, m_clock->callAt(due, this, [this, id] { step(id); }));
}

void PredictionEngine::renderImages(Prediction &p)
{
    const Json input = Json::parse(p.input.toStdString(), nullptr, false);
    const QString ratio = QString::fromStdString(stringOr(input, "aspect_ratio", "1:1"));
    const QString megapixels = QString::fromStdString(stringOr(input, "megapixels", "1"));
    ImageSpec spec;
    spec.size = imageSize(ratio, m_config->imageLongSide, megapixels).value_or(QSize(1, 1));
    spec.format = QByteArray::fromStdString(stringOr(input, "output_format", "webp"));
    spec.quality = static_cast<int>(integerOr(input, "output_quality", 80));
    const qint64 count = std::clamp<qint64>(integerOr(input, "num_outputs", 1), 1, 4);
    QStringList names;
    for (qint64 i = 0; i < count; ++i) {
        spec.seed = p.outputSeed + static_cast<quint64>(i) * 7919;
        QString error;
        const QByteArray bytes = renderImage(spec, &error);
        if (bytes.isEmpty()) {
            finish(p, Status::Failed, error);
            return;
        }
        OutputFile f;
        f.name = QStringLiteral("out-%1.%2").arg(i).arg(QString::fromLatin1(spec.format));
        f.contentType = imageMimeType(spec.format);
        f.data = bytes;
        f.sha256 = sha256Hex(bytes);
        p.files.append(f);
        names.append(f.name);
    }
    p.output = names;
    p.hasOutput = true;
    Q_EMIT outputAppended(p.id, names);
}

void PredictionEngine::finish(Prediction &p, Status status, const QString &error)
{
    const QString id = p.id;
    m_clock->cancel(m_nextStep.take(id));
    m_clock->cancel(m_deadlines.take(id));
    p.status = status;
    p.completedNs = m_clock->nowNs();
    if (status == Status::Failed) {
        p.error = error;
        p.output.clear();
        p.hasOutput = false;
        p.files.clear();
        appendLogs(p, error + QLatin1Char('\n'));
    } else if (status == Status::Canceled || status == Status::Aborted) {
        p.output.clear();
        p.hasOutput = false;
        p.files.clear();
        if (status == Status::Canceled && !p.startedNs)
            p.startedNs = p.completedNs - 3000; // recorded: predict_time 3e-06
    } else {
        const double secs = double(p.completedNs - p.startedNs) / 1e9;
        appendLogs(p, p.model->kind == ModelKind::Text
                          ? QStringLiteral("Generated %1 tokens in %2s (Brieflow sandbox)\n")
                                .arg(p.output.size())
                                .arg(secs, 0, 'f', 2)
                          : QStringLiteral("Generated %1 image(s) in %2s (Brieflow sandbox)\n")
                                .arg(p.files.size())
                                .arg(secs, 0, 'f', 2));
    }
    m_clock->callAt(p.completedNs + p.ttlMs * NsPerMs, this, [this, id] { removeData(id); });
    Q_EMIT completed(id);
}

const Prediction *PredictionEngine::cancel(const QString &id)
{
    Prediction *p = mutableFind(id);
    if (p && !isTerminal(p->status))
        finish(*p, Status::Canceled);
    return p;
}

void PredictionEngine::onDeadline(const QString &id)
{
    m_deadlines.remove(id);
    Prediction *p = mutableFind(id);
    if (!p || isTerminal(p->status))
        return;
    finish(*p, p->status == Status::Starting ? Status::Aborted : Status::Canceled);
}

void PredictionEngine::removeData(const QString &id)
{
    Prediction *p = mutableFind(id);
    if (!p || p->dataRemoved)
        return;
    p->dataRemoved = true;
    p->input = "null";
    p->output.clear();
    p->hasOutput = false;
    p->logs.clear();
    p->files.clear();
    Q_EMIT dataRemoved(id);
}

} // namespace brieflow::sandbox
