// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "promptjobdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/app/jobsubmission.h"

namespace brieflow::ui {

PromptJobDialog::PromptJobDialog(JobStore &writer, const Brief &brief, const QString &conceptText,
                                 const QString &imagePrompt, const QString &source, QWidget *parent)
    : QDialog(parent)
    , m_writer(writer)
    , m_brief(brief)
    , m_concept(conceptText)
    , m_source(source)
{
    setWindowTitle(tr("New job from this prompt"));
    auto *intro = new QLabel(
        tr("<b>%1</b><br>A new job makes images from this prompt again. The concept and the "
           "prompt are reused, so only the images are generated (and paid for). Edit the "
           "prompt first if you like.")
            .arg(brief.productName.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    auto *label = new QLabel(tr("&Image prompt"), this);
    m_prompt = new QPlainTextEdit(imagePrompt, this);
    m_prompt->setAccessibleName(tr("Image prompt"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMinimumSize(460, 140);
    label->setBuddy(m_prompt);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette error = m_error->palette();
    error.setColor(QPalette::WindowText, QColor(0xd9, 0x30, 0x25));
    m_error->setPalette(error);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_queue = buttons->addButton(tr("Queue job"), QDialogButtonBox::AcceptRole);
    m_queue->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &PromptJobDialog::queueJob);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_prompt, &QPlainTextEdit::textChanged, this, [this] {
        m_error->hide();
        m_queue->setEnabled(!m_prompt->toPlainText().trimmed().isEmpty());
    });

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    layout->addWidget(intro);
    layout->addSpacing(8);
    layout->addWidget(label);
    layout->addWidget(m_prompt, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    m_queue->setEnabled(!imagePrompt.trimmed().isEmpty());
}

PromptJobDialog::~PromptJobDialog() = default;

QString PromptJobDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void PromptJobDialog::queueJob()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty()) {
        m_error->setText(tr("Write an image prompt first."));
        m_error->show();
        return;
    }
    const auto job = submitFromImagePrompt(m_writer, m_brief, m_concept, prompt, m_source);
    if (!job) {
        m_error->setText(tr("This job couldn't be queued: %1").arg(job.error().message));
        m_error->show();
        return;
    }
    Q_EMIT queued(job.value());
    accept();
}

} // namespace brieflow::ui
