// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepcard.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/pipeline/steperror.h"
#include "core/pipeline/stepoutput.h"
#include "ui/queue/jobstatusstyle.h"
#include "ui/queue/thumbnailcache.h"

namespace brieflow::ui {

namespace {

constexpr int imageEdge = 96;
constexpr int rawLimit = 4000;

QString timeText(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime().time(), QLocale::LongFormat);
}

/** The "prompt" of a model input (what a person wants to see), else the JSON itself. */
QString inputText(const QByteArray &payload)
{
    if (payload.isEmpty())
        return {};
    const QJsonObject input = QJsonDocument::fromJson(payload).object();
    const QString prompt = input.value(QStringLiteral("prompt")).toString();
    if (!prompt.isEmpty())
        return prompt;
    return QString::fromUtf8(QJsonDocument::fromJson(payload).toJson(QJsonDocument::Indented));
}

constexpr int outputMaxHeight = 240; ///< then the box scrolls
constexpr int inputMaxHeight = 160;

/**
 * Makes @p box exactly as tall as its wrapped text (at least two lines, at most
 * @p maxHeight, then it scrolls), instead of the tall default that leaves empty space.
 */
void fitToContent(QPlainTextEdit *box, int maxHeight)
{
    // Measured on the text itself: QPlainTextEdit lays out only the lines it shows, so its
    // document can't say how tall the whole text is.
    const int margin = static_cast<int>(2 * box->document()->documentMargin());
    // As wide as the text is when the scroll bar shows: never a line short (which would keep
    // the scroll bar and hide a line), at most one line of room to spare.
    const int scrollBar = box->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, box);
    const int width = qMax(40, box->width() - 2 * box->frameWidth() - margin - scrollBar - 4);
    const QFontMetrics metrics(box->font());
    const int textHeight =
        metrics.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, box->toPlainText())
            .height();
    const int chrome = margin + 2 * box->frameWidth() + box->contentsMargins().top()
                       + box->contentsMargins().bottom();
    // Half a line to spare: the edit scrolls by whole lines and counts leading the font
    // metrics leave out.
    const int content =
        qMax(textHeight, 2 * metrics.lineSpacing()) + chrome + metrics.lineSpacing() / 2;
    const int height = qMin(maxHeight, content);
    if (box->height() != height || box->minimumHeight() != height)
        box->setFixedHeight(height);
}

/** Refits a box when its width changes (the text rewraps). */
class FitOnResize final : public QObject {
public:
    FitOnResize(QPlainTextEdit *box, int maxHeight)
        : QObject(box)
        , m_maxHeight(maxHeight)
    {
        box->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize) {
            const auto *resize = static_cast<QResizeEvent *>(event);
            auto *box = qobject_cast<QPlainTextEdit *>(watched);
            if (box && resize->size().width() != resize->oldSize().width())
                fitToContent(box, m_maxHeight);
        }
        return false;
    }

private:
    int m_maxHeight;
};

/** Keeps fitToContent() true as the text changes and as the box's width rewraps it. */
void fitToContentAlways(QPlainTextEdit *box, int maxHeight)
{
    QObject::connect(box->document(), &QTextDocument::contentsChanged, box,
                     [box, maxHeight] { fitToContent(box, maxHeight); });
    new FitOnResize(box, maxHeight);
    fitToContent(box, maxHeight);
}

QPlainTextEdit *proseBox(QWidget *parent)
{
    auto *box = new QPlainTextEdit(parent);
    box->setReadOnly(true);
    box->setFrameShape(QFrame::NoFrame);
    box->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    box->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    box->setBackgroundVisible(false);
    QPalette p = box->palette();
    p.setColor(QPalette::Base, p.color(QPalette::Window));
    box->setPalette(p);
    return box;
}

} // namespace

QString errorActionHint(const QString &errorType)
{
    if (errorType == StepErrorType::Unauthenticated)
        return StepCard::tr("Check the API token in Settings, then retry.");
    if (errorType == StepErrorType::InsufficientCredit)
        return StepCard::tr("Add credit to your Replicate account, then resume the queue.");
    if (errorType == StepErrorType::InvalidInput)
        return StepCard::tr("Edit the input and retry.");
    if (errorType == StepErrorType::PolicyRefusal)
        return StepCard::tr("Edit the prompt so it stays clear of the safety filter, then "
                            "re-run from here.");
    if (errorType == StepErrorType::OutputRejected)
        return StepCard::tr("Retry the step, or edit the text before it.");
    if (errorType == StepErrorType::OutputExpired || errorType == StepErrorType::OutputMissing)
        return StepCard::tr("Run the image step again.");
    if (errorType == StepErrorType::Timeout || errorType == StepErrorType::ModelFailed)
        return StepCard::tr("Retry the step; if it keeps failing, try again later.");
    return {};
}

StepCard::StepCard(int number, ThumbnailCache *thumbnails, QWidget *parent)
    : QFrame(parent)
    , m_number(number)
    , m_thumbnails(thumbnails)
{
    setObjectName(QStringLiteral("stepCard"));
    setStyleSheet(QStringLiteral("#stepCard { background: palette(alternate-base);"
                                 " border-radius: 8px; }"));

    auto *numberLabel = new QLabel(QString::number(number), this);
    numberLabel->setAlignment(Qt::AlignCenter);
    numberLabel->setFixedSize(24, 24);
    numberLabel->setStyleSheet(QStringLiteral("border: 1px solid palette(mid);"
                                              " border-radius: 12px;"));
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_stateIcon = new QLabel(this);
    m_state = new QLabel(this);
    m_attempts = new QLabel(this);
    m_attempts->setStyleSheet(QStringLiteral("border: 1px solid palette(mid); border-radius: 8px;"
                                             " padding: 0px 6px;"));
    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    header->addWidget(numberLabel);
    header->addWidget(m_title, 1);
    header->addWidget(m_attempts);
    header->addWidget(m_stateIcon);
    header->addWidget(m_state);

    m_meta = new QLabel(this);
    m_meta->setWordWrap(true);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette quiet = m_meta->palette();
    quiet.setColor(QPalette::WindowText, quiet.color(QPalette::PlaceholderText));
    m_meta->setPalette(quiet);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette red = m_error->palette();
    red.setColor(QPalette::WindowText, statusColour(JobStatus::Failed));
    m_error->setPalette(red);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_detailsToggle = new QToolButton(this);
    m_detailsToggle->setText(tr("Details"));
    m_detailsToggle->setCheckable(true);
    m_detailsToggle->setArrowType(Qt::RightArrow);
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setAutoRaise(true);
    m_copyDetails = new QPushButton(tr("Copy details"), this);
    m_copyDetails->setToolTip(tr("Copy the technical details, e.g. for a support request"));
    m_details = proseBox(this);
    m_details->setMaximumHeight(160);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setAccessibleName(tr("Technical details"));
    m_details->hide();
    auto *detailRow = new QHBoxLayout;
    detailRow->addWidget(m_detailsToggle);
    detailRow->addWidget(m_copyDetails);
    detailRow->addStretch(1);

    m_inputToggle = new QToolButton(this);
    m_inputToggle->setText(tr("Input"));
    m_inputToggle->setCheckable(true);
    m_inputToggle->setArrowType(Qt::RightArrow);
    m_inputToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_inputToggle->setAutoRaise(true);
    m_input = proseBox(this);
    fitToContentAlways(m_input, inputMaxHeight);
    m_input->setAccessibleName(tr("Step input"));
    m_input->hide();

    m_output = proseBox(this);
    m_output->setAccessibleName(tr("Step output"));
    fitToContentAlways(m_output, outputMaxHeight);
    m_images = new QListWidget(this);
    m_images->setAccessibleName(tr("Images"));
    m_images->setViewMode(QListView::IconMode);
    m_images->setFlow(QListView::LeftToRight);
    m_images->setWrapping(false);
    m_images->setMovement(QListView::Static);
    m_images->setIconSize(QSize(imageEdge, imageEdge));
    m_images->setFixedHeight(imageEdge + 16);
    m_images->setFrameShape(QFrame::NoFrame);
    // On the card's own background, not a white box.
    m_images->viewport()->setAutoFillBackground(false);
    m_images->setStyleSheet(QStringLiteral("QListWidget { background: transparent; }"));
    m_images->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_images->hide();
    m_note = new QLabel(this);
    m_note->setWordWrap(true);

    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setToolTip(tr("Run this step and the ones after it again"));
    m_retryFromHere = new QPushButton(tr("Retry from this step…"), this);
    m_retryFromHere->setToolTip(tr("Run this step and everything after it again; earlier "
                                   "steps are kept"));
    m_edit = new QPushButton(tr("Edit"), this);
    m_edit->setToolTip(tr("Change this text, then re-run only the steps after it"));
    m_rerun = new QPushButton(tr("Re-run from here"), this);
    m_rerun->setDefault(true);
    m_cancelEdit = new QPushButton(tr("Cancel edit"), this);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(8);
    for (QPushButton *b : {m_retry, m_edit, m_rerun, m_cancelEdit, m_retryFromHere})
        buttons->addWidget(b);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(6);
    layout->addLayout(header);
    layout->addWidget(m_meta);
    layout->addWidget(m_error);
    layout->addWidget(m_hint);
    layout->addLayout(detailRow);
    layout->addWidget(m_details);
    layout->addWidget(m_inputToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_input);
    layout->addWidget(m_output);
    layout->addWidget(m_images);
    layout->addWidget(m_note);
    layout->addLayout(buttons);

    connect(m_detailsToggle, &QToolButton::toggled, this, [this](bool open) {
        m_detailsToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_details->setVisible(open);
    });
    connect(m_inputToggle, &QToolButton::toggled, this, [this](bool open) {
        m_inputToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_input->setVisible(open);
    });
    connect(m_copyDetails, &QPushButton::clicked, this, &StepCard::copyDetails);
    connect(m_retry, &QPushButton::clicked, this, &StepCard::retryRequested);
    connect(m_retryFromHere, &QPushButton::clicked, this, &StepCard::retryFromHereRequested);
    connect(m_edit, &QPushButton::clicked, this, &StepCard::startEditing);
    connect(m_cancelEdit, &QPushButton::clicked, this, &StepCard::cancelEditing);
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        const QString text = m_output->toPlainText().trimmed();
        if (text.isEmpty())
            return;
        Q_EMIT rerunWithEdit(text);
    });
    connect(m_images, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT openFileRequested(item->data(Qt::UserRole).toString());
    });
    if (ThumbnailCache *cache = m_thumbnails.data())
        connect(cache, &ThumbnailCache::thumbnailReady, this, &StepCard::updateThumbnails);
}

namespace {

void setTextIfChanged(QLabel *label, const QString &text)
{
    if (label->text() != text)
        label->setText(text);
}

void setPlainTextIfChanged(QPlainTextEdit *box, const QString &text)
{
    if (box->toPlainText() != text)
        box->setPlainText(text);
}

} // namespace

void StepCard::reset()
{
    if (m_editing)
        cancelEditing();
    m_streamed.clear();
    m_hasView = false;
    m_detailsToggle->setChecked(false);
    m_inputToggle->setChecked(false);
}

void StepCard::setStep(const StepView &view)
{
    if (m_hasView && view == m_view)
        return;
    ++m_updates;
    const bool statusChanged = !m_hasView || view.step.status != m_view.step.status;
    m_hasView = true;
    const bool imagesChanged = [&] {
        if (view.images.size() != m_view.images.size())
            return true;
        for (int i = 0; i < view.images.size(); ++i) {
            if (!(view.images.at(i).id == m_view.images.at(i).id))
                return true;
        }
        return false;
    }();
    m_view = view;
    const StepRecord &step = view.step;
    if (step.status != StepStatus::Processing)
        m_streamed.clear();

    setTextIfChanged(m_title, view.title);
    if (statusChanged)
        m_stateIcon->setPixmap(stepStatusIcon(step.status).pixmap(16, 16));
    setTextIfChanged(m_state, stepStatusWord(step.status));
    setTextIfChanged(m_attempts, tr("%n tries", nullptr, step.attemptCount));
    m_attempts->setVisible(step.attemptCount > 1);
    setAccessibleName(
        tr("Step %1: %2, %3").arg(m_number).arg(view.title, stepStatusWord(step.status)));

    QStringList meta;
    if (!view.model.isEmpty())
        meta << view.model;
    if (step.startedAt.isValid())
        meta << tr("started %1").arg(timeText(step.startedAt));
    if (step.completedAt.isValid())
        meta << tr("ended %1").arg(timeText(step.completedAt));
    if (step.startedAt.isValid() && step.completedAt.isValid())
        meta << formatDuration(step.startedAt.msecsTo(step.completedAt));
    setTextIfChanged(m_meta, meta.join(QStringLiteral(" · ")));
    m_meta->setVisible(!meta.isEmpty());

    const bool hasError = !step.errorType.isEmpty() || !step.errorMessage.isEmpty();
    const bool showError =
        hasError
        && (step.status == StepStatus::Failed || step.status == StepStatus::NeedsAttention
            || step.status == StepStatus::Canceled || step.status == StepStatus::Processing);
    setTextIfChanged(m_error, step.errorMessage.isEmpty() ? step.errorType : step.errorMessage);
    m_error->setVisible(showError);
    const QString hint = errorActionHint(step.errorType);
    setTextIfChanged(m_hint, hint);
    m_hint->setVisible(showError && !hint.isEmpty() && step.status != StepStatus::Processing);
    const QString details = detailsText();
    setPlainTextIfChanged(m_details, details);
    const bool showDetails = showError && !details.isEmpty();
    m_detailsToggle->setVisible(showDetails);
    m_copyDetails->setVisible(showDetails);
    m_details->setVisible(showDetails && m_detailsToggle->isChecked());

    const QString input = inputText(step.inputPayload);
    setPlainTextIfChanged(m_input, input);
    m_inputToggle->setVisible(!input.isEmpty());
    m_input->setVisible(!input.isEmpty() && m_inputToggle->isChecked());

    if (view.kind == StepKind::Image) {
        m_output->hide();
        if (imagesChanged) {
            m_images->clear();
            updateThumbnails();
        }
        m_images->setVisible(!view.images.isEmpty());
        m_note->setText(view.images.isEmpty() && step.status == StepStatus::Processing
                            ? tr("Images appear here as soon as they are saved.")
                            : QString());
    } else if (view.kind == StepKind::Store) {
        m_output->hide();
        m_images->hide();
        const int saved = static_cast<int>(QJsonDocument::fromJson(step.outputPayload)
                                               .object()
                                               .value(QStringLiteral("images"))
                                               .toInt());
        m_note->setText(step.status == StepStatus::Succeeded
                            ? (saved == 1 ? tr("1 image saved to the output folder.")
                                          : tr("%1 images saved to the output folder.").arg(saved))
                            : QString());
    } else {
        m_images->hide();
        m_note->clear();
        if (!m_editing) {
            QString text = textOfStepOutput(step.outputPayload);
            if (text.isEmpty() && step.status == StepStatus::Processing)
                text = m_streamed;
            if (m_output->toPlainText() != text) {
                m_output->setPlainText(text);
                fitOutputHeight();
            }
            m_output->setVisible(!text.isEmpty());
        }
    }
    m_note->setVisible(!m_note->text().isEmpty());
    updateButtons();
}

void StepCard::setStreamingText(const QString &text)
{
    if (m_editing || m_view.kind != StepKind::Text)
        return;
    m_streamed = text;
    if (m_view.step.status == StepStatus::Succeeded)
        return; // the stored output wins
    const QString shown = m_output->toPlainText();
    if (text.startsWith(shown) && !shown.isEmpty()) {
        // The text grows at its end: append the new part instead of laying out all of it.
        if (text.size() == shown.size())
            return;
        QTextCursor cursor(m_output->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(text.mid(shown.size()));
    } else {
        m_output->setPlainText(text);
    }
    m_output->setVisible(true);
    fitOutputHeight();
    m_output->moveCursor(QTextCursor::End);
}

void StepCard::fitOutputHeight()
{
    fitToContent(m_output, outputMaxHeight);
}

void StepCard::updateButtons()
{
    const StepStatus status = m_view.step.status;
    const bool settled = !m_view.jobActive;
    const bool failed = status == StepStatus::Failed || status == StepStatus::NeedsAttention
                        || status == StepStatus::Canceled;
    m_retry->setVisible(settled && failed && !m_editing);
    m_retryFromHere->setVisible(settled && status != StepStatus::Pending && !failed && !m_editing);
    m_edit->setVisible(settled && m_view.canEdit && status == StepStatus::Succeeded && !m_editing);
    m_rerun->setVisible(m_editing);
    m_cancelEdit->setVisible(m_editing);
}

void StepCard::startEditing()
{
    if (!m_view.canEdit)
        return;
    m_editing = true;
    m_output->setReadOnly(false);
    m_output->setBackgroundVisible(true);
    QPalette p = m_output->palette();
    p.setColor(QPalette::Base, QApplication::palette().color(QPalette::Base));
    m_output->setPalette(p);
    m_output->show();
    m_output->setFocus();
    updateButtons();
}

void StepCard::cancelEditing()
{
    m_editing = false;
    m_output->setReadOnly(true);
    QPalette p = m_output->palette();
    p.setColor(QPalette::Base, p.color(QPalette::Window));
    m_output->setPalette(p);
    m_hasView = false; // show the stored text again
    setStep(m_view);
}

QString StepCard::stateText() const
{
    return m_state->text();
}

QString StepCard::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString StepCard::outputText() const
{
    return m_output->toPlainText();
}

int StepCard::imageCount() const
{
    return m_images->count();
}

QString StepCard::detailsText() const
{
    const StepRecord &step = m_view.step;
    if (step.errorType.isEmpty() && m_view.calls.isEmpty())
        return {};
    QStringList lines;
    lines << tr("Step: %1 (%2), attempt %3").arg(m_view.title, step.name).arg(step.attemptCount);
    if (!step.errorType.isEmpty())
        lines << tr("Error type: %1").arg(step.errorType);
    if (!step.errorMessage.isEmpty())
        lines << tr("Message: %1").arg(step.errorMessage);
    for (const ProviderCallRecord &call : m_view.calls) {
        QStringList parts;
        parts << tr("Attempt %1: %2").arg(call.attempt).arg(toString(call.state));
        if (!call.predictionId.isEmpty())
            parts << tr("prediction %1").arg(call.predictionId);
        if (!call.providerStatus.isEmpty())
            parts << tr("provider status %1").arg(call.providerStatus);
        if (!call.errorType.isEmpty())
            parts << call.errorType;
        parts << call.modelRef;
        lines << parts.join(QStringLiteral(", "));
        if (!call.errorMessage.isEmpty())
            lines << QStringLiteral("  ") + call.errorMessage;
    }
    if (!m_view.calls.isEmpty() && !m_view.calls.constLast().rawLastResponse.isEmpty()) {
        QString raw = QString::fromUtf8(m_view.calls.constLast().rawLastResponse);
        if (raw.size() > rawLimit)
            raw = raw.left(rawLimit) + QStringLiteral(" …");
        lines << tr("Last response:") << raw;
    }
    return lines.join(QLatin1Char('\n'));
}

void StepCard::copyDetails()
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(detailsText());
}

void StepCard::updateThumbnails()
{
    ThumbnailCache *cache = m_thumbnails.data();
    const qreal ratio = qMax<qreal>(1.0, devicePixelRatioF());
    const int pixels = qRound(imageEdge * ratio);
    if (m_images->count() != m_view.images.size()) {
        m_images->clear();
        for (const OutputRecord &image : std::as_const(m_view.images)) {
            auto *item = new QListWidgetItem(m_images);
            item->setData(Qt::UserRole, image.filePath);
            item->setToolTip(tr("%1 × %2 · %3 — double-click to open")
                                 .arg(image.width)
                                 .arg(image.height)
                                 .arg(QFileInfo(image.filePath).fileName()));
            item->setSizeHint(QSize(imageEdge + 8, imageEdge + 8));
        }
    }
    for (int i = 0; i < m_images->count() && i < m_view.images.size(); ++i) {
        QListWidgetItem *item = m_images->item(i);
        const OutputRecord &image = m_view.images.at(i);
        if (!item->icon().isNull() || !cache)
            continue;
        QImage thumb = cache->thumbnail(image.filePath, image.sha256, pixels);
        if (thumb.isNull())
            continue;
        thumb.setDevicePixelRatio(ratio);
        item->setIcon(QIcon(QPixmap::fromImage(thumb)));
    }
}

} // namespace brieflow::ui
