// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "textgenerator.h"

#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace brieflow::sandbox {

namespace {

/** The brief's fields as far as the prompt reveals them; empty when not found. */
struct PromptFacts {
    QString product;
    QString audience;
    QString value;
    QString tone;
    QString brandNotes;
    QString campaignConcept;
};

/**
 * The compiled expression for @p pattern. Compiling (and JIT-compiling) a pattern costs far more
 * than matching it, and the same few dozen patterns serve every prediction: compile each once
 * per thread (a sandbox lives on one thread; tests may run several).
 */
const QRegularExpression &compiled(const QString &pattern)
{
    thread_local QHash<QString, QRegularExpression> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        it = cache.insert(pattern,
                          QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption
                                                          | QRegularExpression::MultilineOption));
    }
    return *it;
}

QString firstMatch(const QString &text, const QStringList &patterns)
{
    for (const QString &p : patterns) {
        const QRegularExpressionMatch m = compiled(p).match(text);
        if (m.hasMatch()) {
            const QString value = m.captured(QStringLiteral("v")).trimmed();
            if (!value.isEmpty())
                return value;
        }
    }
    return {};
}

/** "Label: value" on its own line, or a JSON "key": "value" pair. */
QString labelled(const QString &text, const QString &labels, const QString &jsonKey)
{
    return firstMatch(
        text, {QStringLiteral("\"%1\"\\s*:\\s*\"(?<v>(?:[^\"\\\\]|\\\\.){1,1000})\"").arg(jsonKey),
               QStringLiteral("^[\\s*\\-#]*(?:%1)\\s*[:=]\\s*(?<v>.+)$").arg(labels)});
}

PromptFacts readFacts(const QString &prompt)
{
    PromptFacts f;
    f.product = labelled(prompt, QStringLiteral("product name|product|brand|name"),
                         QStringLiteral("product_name"));
    if (f.product.isEmpty()) {
        f.product = firstMatch(
            prompt, {QStringLiteral("[\"\u201c](?<v>[^\"\u201d\\n]{2,60})[\"\u201d]"),
                     QStringLiteral("\\bfor (?<v>(?:[A-Z][\\w\u00C0-\u024F'-]*\\s?){1,4})")});
    }
    f.audience = labelled(prompt, QStringLiteral("audience|target audience|target"),
                          QStringLiteral("audience"));
    f.value =
        labelled(prompt, QStringLiteral("value proposition|key message|message|benefit|benefits"),
                 QStringLiteral("value_proposition"));
    f.tone =
        labelled(prompt, QStringLiteral("tone|tone of voice|voice|mood"), QStringLiteral("tone"));
    f.brandNotes = labelled(prompt, QStringLiteral("brand notes|brand guidelines|notes"),
                            QStringLiteral("brand_notes"));
    f.campaignConcept =
        labelled(prompt, QStringLiteral("campaign concept|concept"), QStringLiteral("concept"));
    static const QRegularExpression trailing(QStringLiteral("[\"\u201c\u201d.]+$"));
    f.product.remove(trailing);
    if (f.product.size() > 60)
        f.product = f.product.left(60).trimmed();
    return f;
}

/** The first clause of @p text, at most @p words words, without a trailing full stop. */
QString clause(const QString &text, int words)
{
    static const QRegularExpression boundary(QStringLiteral("[.;:!?\\n]|\\s[\u2013\u2014-]\\s"));
    QString first = text.section(boundary, 0, 0).trimmed();
    const QStringList parts = first.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() > words)
        first = parts.mid(0, words).join(QLatin1Char(' '));
    return first;
}

QString lowerFirst(QString text)
{
    if (!text.isEmpty() && text.at(0).isUpper() && (text.size() < 2 || !text.at(1).isUpper()))
        text[0] = text.at(0).toLower();
    return text;
}

QString pick(QRandomGenerator &rng, const QStringList &options)
{
    return options.at(static_cast<qsizetype>(rng.bounded(static_cast<quint32>(options.size()))));
}

QString conceptText(const PromptFacts &f, QRandomGenerator &rng)
{
    const QString product = f.product.isEmpty() ? QStringLiteral("your product") : f.product;
    const QString audience = f.audience.isEmpty() ? QStringLiteral("people who need it most")
                                                  : lowerFirst(clause(f.audience, 14));
    const QString value =
        f.value.isEmpty() ? QStringLiteral("it simply works") : lowerFirst(clause(f.value, 16));
    const QString tone =
        f.tone.isEmpty() ? QStringLiteral("warm, confident") : lowerFirst(clause(f.tone, 8));
    const QString headline =
        pick(rng, {QStringLiteral("%1. Made for the moment."), QStringLiteral("Meet %1."),
                   QStringLiteral("%1: one less thing to worry about."),
                   QStringLiteral("Your day, upgraded by %1."),
                   QStringLiteral("%1, exactly when you need it.")})
            .arg(product);
    const QString scene = pick(rng, {QStringLiteral("a real, everyday moment"),
                                     QStringLiteral("the first five minutes of the morning"),
                                     QStringLiteral("a busy commute"),
                                     QStringLiteral("the moment just before a big day")});
    QString text =
        QStringLiteral("[sandbox] Campaign concept for %1: \"%2\" ").arg(product, headline);
    text +=
        QStringLiteral("The campaign speaks to %1 and shows them that %2. ").arg(audience, value);
    text += QStringLiteral("Each visual captures %1 with %2 in the middle of it, "
                           "in a %3 voice.")
                .arg(scene, product, tone);
    if (!f.brandNotes.isEmpty())
        text += QStringLiteral(" Brand notes honoured: %1.").arg(clause(f.brandNotes, 14));
    return text;
}

QString imagePromptText(const PromptFacts &f, QRandomGenerator &rng)
{
    const QString product = f.product.isEmpty() ? QStringLiteral("the product") : f.product;
    const QString style = pick(rng, {QStringLiteral("A cinematic product photograph"),
                                     QStringLiteral("An editorial lifestyle photograph"),
                                     QStringLiteral("A bright, airy campaign photograph"),
                                     QStringLiteral("A bold, graphic advertising image")});
    const QString light =
        pick(rng, {QStringLiteral("soft golden-hour light"), QStringLiteral("crisp morning light"),
                   QStringLiteral("diffused studio-quality daylight"),
                   QStringLiteral("warm practical lighting")});
    const QString framing = pick(rng, {QStringLiteral("shallow depth of field"),
                                       QStringLiteral("rule-of-thirds composition"),
                                       QStringLiteral("wide establishing shot"),
                                       QStringLiteral("close-up hero framing")});
    QString text = QStringLiteral("[sandbox] %1 of %2").arg(style, product);
    const QString source = !f.campaignConcept.isEmpty() ? f.campaignConcept : f.value;
    if (!source.isEmpty())
        text += QStringLiteral(", showing %1").arg(lowerFirst(clause(source, 14)));
    if (!f.audience.isEmpty())
        text += QStringLiteral(", for %1").arg(lowerFirst(clause(f.audience, 10)));
    if (!f.tone.isEmpty())
        text += QStringLiteral(", %1 mood").arg(lowerFirst(clause(f.tone, 6)));
    text += QStringLiteral(", %1, %2, high detail, no text or logos").arg(light, framing);
    if (!f.brandNotes.isEmpty())
        text += QStringLiteral(", %1").arg(lowerFirst(clause(f.brandNotes, 12)));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text + QLatin1Char('.');
}

/** LLM-like pieces: " word" chunks, long words split in two, so joining gives the text back. */
QStringList tokenize(const QString &text)
{
    static const QRegularExpression chunk(QStringLiteral("\\s*\\S+"));
    QStringList tokens;
    auto it = chunk.globalMatch(text);
    while (it.hasNext()) {
        const QString piece = it.next().captured(0);
        if (piece.size() > 8) {
            const qsizetype half = piece.size() / 2;
            tokens << piece.left(half) << piece.mid(half);
        } else {
            tokens << piece;
        }
    }
    return tokens;
}

} // namespace

bool asksForImagePrompt(const QString &prompt, const QString &systemPrompt)
{
    static const QRegularExpression re(
        QStringLiteral("image[ -]?prompt|text[ -]to[ -]image|prompt for an? (image|picture|photo)"
                       "|image generation prompt|visual prompt"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(prompt).hasMatch() || re.match(systemPrompt).hasMatch();
}

QStringList generateTextTokens(const TextRequest &request)
{
    QRandomGenerator rng(static_cast<quint32>(request.seed ^ (request.seed >> 32)));
    const PromptFacts facts = readFacts(request.prompt);
    const QString text = asksForImagePrompt(request.prompt, request.systemPrompt)
                             ? imagePromptText(facts, rng)
                             : conceptText(facts, rng);
    QStringList tokens = tokenize(text);
    if (request.maxTokens > 0 && tokens.size() > request.maxTokens)
        tokens = tokens.mid(0, request.maxTokens);
    return tokens;
}

} // namespace brieflow::sandbox
