// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace brieflow::sandbox {

/** What the stand-in language model reads from a prediction's input. */
struct TextRequest {
    QString prompt;
    QString systemPrompt;
    int maxTokens = 512;
    quint64 seed = 0; ///< mixes the sandbox seed and the input; same seed, same words
};

/**
 * The sandbox's language model: picks the product name, audience, value proposition, tone and
 * brand notes out of the prompt ("Product name: …" lines, JSON keys, quoted names) and writes
 * either a short campaign concept or, when the prompt asks for an image prompt, a one-paragraph
 * image prompt. Always starts with "[sandbox]" so nobody mistakes it for real copy. The result
 * is split into LLM-like tokens (" word" pieces) and cut at @c maxTokens. Deterministic.
 */
QStringList generateTextTokens(const TextRequest &request);

/** True when @p prompt (or @p systemPrompt) asks for an image prompt rather than a concept. */
bool asksForImagePrompt(const QString &prompt, const QString &systemPrompt);

} // namespace brieflow::sandbox
